import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEYS, snapshotFile, waitForFrame } from './helpers.js';
import { NOW, PLAN, STORAGE_DEFAULTS, STORAGE_FIELDS, T0, mountApp, runningEvents } from './fixtures.js';

afterEach(() => cleanup());

/** Asserts the frame equals snapshots/<name>.txt (writing it when missing or UPDATE_SNAPSHOTS=1). */
function expectSnapshot(name: string, frame: string) {
  const s = snapshotFile(name, frame);
  if (s.wrote) console.warn(s.wrote);
  expect(s.actual).toBe(s.expected);
  // Every snapshot fits 80×24.
  const lines = s.actual.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(24);
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
}

describe('screens at 80×24 (snapshots/)', () => {
  it('running wizard: stage list with times and the current step waiting', async () => {
    const { store, inst } = mountApp();
    await waitForFrame(inst, 'Preflight');
    for (const e of runningEvents()) store.dispatch(e);
    const frame = await waitForFrame(inst, 'currently Pending');
    expect(frame).toContain('waiting for ObjectBucketClaim models:');
    expect(frame).toMatch(/✔ Preflight\s+0:04/);
    // Running stages: elapsed from the injected now (NOW - start), never the wall clock.
    expect(frame).toMatch(/Object storage\s+4:53/);
    expect(frame).toContain('◌ Portal');
    expectSnapshot('running', frame);
  });

  it('a form with defaults', async () => {
    const { store, inst, host } = mountApp();
    for (const e of runningEvents().slice(0, 6)) store.dispatch(e);
    void host.askInputs({ id: 'storage', title: 'Bucket for the models', explain: { what: 'Claims an S3 bucket with an ObjectBucketClaim.', why: 'The models are served from there.', commands: [] } }, STORAGE_FIELDS, STORAGE_DEFAULTS, {});
    const frame = await waitForFrame(inst, 'Claim name');
    expect(frame).toContain('› Claim name: models');
    expect(frame).toContain('Bucket class: ocs-storagecluster-ceph-rgw');
    expect(frame).toContain('Wait for Bound (s): 300');
    expect(frame).toContain('Use existing S3 instead: no');
    expectSnapshot('form-defaults', frame);
  });

  it('a secret field is masked, in clear nowhere in any frame', async () => {
    const { inst, host } = mountApp();
    const token = 'hf_SuperSecretToken42';
    void host.askInputs(
      { id: 'import', title: 'Import models', explain: { what: 'Copies the model files.', why: 'Serving reads them from the bucket.', commands: [] } },
      [
        { key: 'models', label: 'Models', kind: 'text' },
        { key: 'hfToken', label: 'Hugging Face token', kind: 'secret', env: 'HF_TOKEN', help: 'Read access; kept only in a cluster Secret.' },
      ],
      { models: 'mistralai/Mistral-7B-Instruct-v0.3', hfToken: 'hf_prefilled' },
      {},
    );
    await waitForFrame(inst, 'Hugging Face token');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '› Hugging Face token');
    inst.stdin.write(KEYS.backspace.repeat(0));
    inst.stdin.write('\u0015'); // Ctrl-U clears the prefilled value
    await waitForFrame(inst, (f) => !f.includes('••••'));
    inst.stdin.write(token);
    const frame = await waitForFrame(inst, '•'.repeat(token.length));
    for (const f of inst.frames) {
      expect(f).not.toContain(token);
      expect(f).not.toContain('hf_prefilled');
    }
    expectSnapshot('form-secret', frame);
  });

  it('plan confirmation with a manifest and an API call', async () => {
    const { store, inst, host } = mountApp();
    for (const e of runningEvents().slice(0, 6)) store.dispatch(e);
    store.dispatch({ type: 'state', at: T0 + 7_000, step: 'storage', state: 'awaiting-confirmation' });
    void host.confirmPlan({ id: 'storage', title: 'Bucket for the models' }, PLAN);
    // The second frame has the layout measured: it says how much of the plan is below.
    const frame = await waitForFrame(inst, (f) => f.includes('Apply this plan') && /↓ \d+ more/.test(f));
    expect(frame).toContain('+ create ObjectBucketClaim llm-hosting/models');
    expect(frame).toContain('Apply this plan (2 changes)? (Y/n)');
    expectSnapshot('plan-confirmation', frame);
    // The rest of the plan is below: scroll down to the API call.
    expect(frame).toMatch(/↓ \d+ more/);
    inst.stdin.write(KEYS.pageDown);
    const scrolled = await waitForFrame(inst, (f) => /↑ \d+ more/.test(f));
    expect(scrolled).toContain('private_endpoint:');
    expect(scrolled).not.toContain('Why: The models');
    inst.stdin.write(KEYS.pageUp);
    await waitForFrame(inst, 'Why: The models');
  });

  it('a failed step with error, fix and diagnosis', async () => {
    const { store, inst } = mountApp();
    for (const e of runningEvents().slice(0, 6)) store.dispatch(e);
    store.dispatch({ type: 'state', at: T0 + 10_000, step: 'serving.mistral', state: 'applying' });
    store.dispatch({
      type: 'state',
      at: T0 + 70_000,
      step: 'serving.mistral',
      state: 'failed',
      error: { code: 'wait.failed', message: 'InferenceService mistral failed: predictor CrashLoopBackOff', fix: 'see the diagnosis', step: 'serving.mistral', phase: 'verify' },
    });
    store.dispatch({
      type: 'diagnosis',
      at: T0 + 71_000,
      step: 'serving.mistral',
      diagnosis: { summary: 'max model length 32768 is larger than the KV cache (12000 tokens)', fix: 'retry with --max-model-len 12000', suggestedInputs: { maxModelLen: 12000 } },
    });
    store.dispatch({ type: 'run-finished', at: T0 + 72_000, result: 'failed' });
    const frame = await waitForFrame(inst, 'diagnosis:');
    expect(frame).toContain('✖ InferenceService mistral failed');
    expect(frame).toContain('fix: retry with --max-model-len 12000');
    expect(frame).toMatch(/✖ Serving\s+1:00/);
    expectSnapshot('failed-step', frame);
  });

  it('the log pane opens and closes with l', async () => {
    const { store, inst } = mountApp();
    for (const e of runningEvents()) store.dispatch(e);
    store.dispatch({ type: 'log', at: T0 + 9_500, step: 'storage', level: 'warn', message: 'ObjectBucketClaim models still Pending after 60 s' });
    await waitForFrame(inst, 'currently Pending');
    inst.stdin.write('l');
    const frame = await waitForFrame(inst, 'still Pending after 60 s');
    expect(frame).toContain('[project] done');
    expect(frame).toContain('Tab switch pane');
    expectSnapshot('log-pane', frame);
    inst.stdin.write('l');
    const closed = await waitForFrame(inst, (f) => !f.includes('still Pending after 60 s'));
    expect(closed).not.toContain('Tab switch pane');
  });

  it('the resume screen: failed step first with its diagnosis, then retry / edit / skip / start over', async () => {
    const { store, inst } = mountApp({
      resume: {
        failed: {
          step: 'serving.mistral',
          error: 'InferenceService mistral: predictor CrashLoopBackOff',
          fix: 'retry with --max-model-len 12000',
          at: '2026-11-29T21:14:03Z',
          attempts: 2,
          diagnosis: 'KV cache holds 12000 tokens',
          suggestedInputs: { maxModelLen: 12000 },
          dependants: ['portal', 'verify'],
        },
        drifted: [{ step: 'project', reason: 'Namespace llm-hosting not found', at: '2026-11-29T21:15:00Z' }],
      },
    });
    const choice = store.resumeDecision();
    const frame = await waitForFrame(inst, 'What now?');
    const failedAt = frame.indexOf('serving.mistral failed');
    expect(failedAt).toBeGreaterThan(-1);
    expect(failedAt).toBeLessThan(frame.indexOf('What now?'));
    expect(frame).toContain('suggested input: maxModelLen = 12000');
    expect(frame).toContain('! project drifted: Namespace llm-hosting not found');
    expect(frame).toContain('❯ Retry serving.mistral');
    expectSnapshot('resume', frame);
    inst.stdin.write(KEYS.down);
    await waitForFrame(inst, '❯ Edit inputs, then retry');
    inst.stdin.write(KEYS.down);
    const skip = await waitForFrame(inst, '❯ Skip serving.mistral');
    // Skipping names what will not run.
    expect(skip).toContain('will not run either: portal, verify');
    inst.stdin.write(KEYS.up);
    await waitForFrame(inst, '❯ Edit inputs, then retry');
    inst.stdin.write(KEYS.enter);
    await expect(choice).resolves.toBe('edit');
    await waitForFrame(inst, 'Preflight checks');
  });

  it('the resume screen without a failed step offers resume or start over', async () => {
    const { store, inst } = mountApp({ resume: {} });
    const choice = store.resumeDecision();
    const frame = await waitForFrame(inst, 'What now?');
    expect(frame).toContain('No step failed');
    expect(frame).toContain('❯ Resume');
    expect(frame).not.toContain('Skip');
    inst.stdin.write(KEYS.enter);
    await expect(choice).resolves.toBe('resume');
  });

  it('model import: a progress bar per model with size, rate and time left', async () => {
    const { store, inst } = mountApp();
    for (const e of runningEvents().slice(0, 6)) store.dispatch(e);
    store.dispatch({ type: 'state', at: T0 + 10_000, step: 'import', state: 'applying' });
    store.dispatch({
      type: 'progress',
      at: T0 + 20_000,
      step: 'import',
      progress: { item: 'mistralai/Mistral-7B-Instruct-v0.3', message: '2 of 3 files', bytesDone: 7_250_000_000, bytesTotal: 14_500_000_000, bytesPerSecond: 50_000_000 },
    });
    store.dispatch({
      type: 'progress',
      at: T0 + 21_000,
      step: 'import',
      progress: { item: 'nomic-ai/nomic-embed-text-v1.5', bytesDone: 547_000_000, bytesTotal: 547_000_000, message: 'copied' },
    });
    const frame = await waitForFrame(inst, 'nomic-ai/nomic-embed-text-v1.5');
    expect(frame).toContain('mistralai/Mistral-7B-Instruct-v0.3 2 of 3 files');
    expect(frame).toMatch(/\[█{14}░{14}\] 50%/);
    expect(frame).toContain('7.3 GB / 14.5 GB 50 MB/s 2:25 left');
    expect(frame).toMatch(/\[█{28}\] 100%/);
    expectSnapshot('import-progress', frame);
  });

  it('works on a larger terminal too (120×40)', async () => {
    const { store, inst } = mountApp({ props: { columns: 120, rows: 40 } });
    for (const e of runningEvents()) store.dispatch(e);
    const frame = await waitForFrame(inst, 'currently Pending');
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(40);
    expect(Math.max(...lines.map((l) => [...l].length))).toBeGreaterThan(80);
    expect(frame).toContain('waiting for ObjectBucketClaim models:');
  });

  it('the pane stays on its step while another step sends events; ←/→ browse, Esc follows again', async () => {
    const { store, inst } = mountApp();
    for (const e of runningEvents()) store.dispatch(e);
    await waitForFrame(inst, 'Bucket for the models · applying');
    store.dispatch({ type: 'wait', at: T0 + 20_000, step: 'sso', what: 'Keycloak rh-sso', currently: 'initialising' });
    store.dispatch({ type: 'log', at: T0 + 20_001, level: 'info', message: 'tick' });
    const still = await waitForFrame(inst, (f) => f.includes('Bucket for the models · applying'));
    expect(still).not.toContain('Keycloak rh-sso');
    inst.stdin.write('\u001B[C'); // →
    const browsing = await waitForFrame(inst, 'Data connection · pending');
    expect(browsing).toContain('Esc follow the run');
    inst.stdin.write('\u001B[D'); // ←
    await waitForFrame(inst, (f) => f.includes('Bucket for the models · applying') && f.includes('Esc follow the run'));
    inst.stdin.write('\u001B'); // Esc
    await waitForFrame(inst, (f) => f.includes('←/→ step') && !f.includes('Esc follow the run'));
  });

  it('keeps times still when frozen without now (placeholder, no wall clock)', async () => {
    const { store, inst } = mountApp({ props: { now: undefined } });
    store.dispatch({ type: 'state', at: NOW, step: 'preflight', state: 'applying' });
    const frame = await waitForFrame(inst, 'applying');
    expect(frame).toMatch(/Preflight\s+--:--/);
  });
});
