/**
 * Resuming: a demo that fails at serving (scenario `kv-cache-too-small`, C5) shows the failed step
 * first on the next start and completes once the suggested `maxModelLen` is given, re-verifying
 * the steps already done without planning them again; a demo interrupted mid-way (Ctrl-C) resumes
 * and completes without duplicates in the cluster.
 */
import { describe, expect, it } from 'vitest';
import { Capture, runCli, tempDir, until } from '../cli/helpers.js';
import { MODEL_NAMES, SERVING_STEPS, jsonEvents, localImportAnswers, openSavedDemo, readStatus, runDemo, tail } from './helpers.js';

const KV = ['--scenario', 'kv-cache-too-small'];
/** The vLLM models (the embedding model runs on TEI and has no max model length). */
const VLLM_STEPS = SERVING_STEPS.filter((s) => !s.endsWith('nomic-embed-text'));

describe('resume after a failed step', () => {
  it('kv-cache-too-small: exit 1 with a smaller --max-model-len offered; with it in the answers file the next run completes and only re-verifies the rest', async () => {
    const home = tempDir('maas-e2e-');
    const first = await runDemo([...KV, '--answers', localImportAnswers(home), '--output', 'json'], { home });
    expect(first.code, tail(first)).toBe(1);
    const events = jsonEvents(first.stdout.text);
    // The diagnosis offers a smaller maxModelLen (the serving step's input).
    const diagnoses = events.filter((e) => e.type === 'diagnosis');
    expect(diagnoses.map((d) => d.step).sort(), first.stdout.text.slice(-3000)).toEqual([...VLLM_STEPS].sort());
    const suggested = diagnoses.map((d) => d.diagnosis.suggestedInputs?.['maxModelLen']);
    for (const n of suggested) {
      expect(typeof n).toBe('number');
      expect(n as number).toBeLessThanOrEqual(15000); // the scenario's KV cache, in tokens
    }
    expect(diagnoses[0]?.diagnosis.fix).toMatch(/maxModelLen=\d+ in the answers file/);
    const finished = events.at(-1);
    expect(finished).toMatchObject({ type: 'run-finished', result: 'failed', firstError: { code: 'serving.kv-cache', phase: 'verify' } });

    // The progress: the failed serving steps, everything they do not need done.
    const status = await readStatus(first.home);
    const state = Object.fromEntries(status.steps.map((s) => [s.step, s.state]));
    for (const id of VLLM_STEPS) expect(state[id]).toBe('failed');
    expect(state['serving.nomic-embed-text']).toBe('done');
    // What needs the failed models' serving waits (their product, policies, the portal content, the
    // check); everything else is done.
    const waits = (id: string): boolean => /^(threescale\.product|policies)\.(granite-8b-code-instruct|mistral-7b-instruct)$/.test(id) || id === 'portal.content' || id === 'verify';
    for (const s of status.steps) if (s.state !== 'failed' && !waits(s.step)) expect(s.state, s.step).toBe('done');
    const table = await runCli(['status', '--demo'], { home: first.home });
    expect(table.stdout.text).toMatch(/next: fix the error of serving\.(granite|mistral)\S*, then `maas-wizard retry serving\./);

    // Second run with the suggested values in the answers file.
    const answers: Record<string, { maxModelLen: number }> = {};
    diagnoses.forEach((d) => (answers[d.step] = { maxModelLen: d.diagnosis.suggestedInputs?.['maxModelLen'] as number }));
    localImportAnswers(home, answers, 'fix.yaml');
    // Line output this time: a person's next run. The failed step comes first, before anything
    // runs: which step, its error, its fix.
    const second = await runDemo([...KV, '--answers', 'fix.yaml'], { home: first.home });
    const notice = second.stderr.lines().find((l) => l.startsWith('notice: resuming profile demo'));
    const before = status.steps;
    const total = before.length;
    const done = before.filter((s) => s.state === 'done').length;
    expect(notice).toMatch(new RegExp(`${done} steps done; serving`));
    expect(notice).toMatch(/steps done; serving\.(granite-8b-code-instruct|mistral-7b-instruct) failed at \S+ \(attempt 1\): .*KV cache.* — fix: .*maxModelLen/);
    expect(second.code, tail(second)).toBe(0);
    // Only the failed steps and those waiting on them were planned and applied; the steps done
    // were only verified (every step is verified once).
    const out = second.stdout.lines();
    const notDone = total - done;
    expect(out.filter((l) => l.trim() === '› planning')).toHaveLength(notDone);
    expect(out.filter((l) => l.trim() === '› applying')).toHaveLength(notDone);
    expect(out.filter((l) => l.trim() === '› verifying')).toHaveLength(total);
    expect(out.filter((l) => /^› plan: \d+ changes?$/.test(l.trim()))).toHaveLength(notDone);
    expect(out.filter((l) => l.startsWith('steps: ')).at(-1)).toMatch(new RegExp(`^steps: ${total} done — took `));

    const after = await readStatus(first.home);
    for (const s of after.steps) expect(s.state, s.step).toBe('done');
    for (const id of VLLM_STEPS) expect(after.steps.find((s) => s.step === id)?.outputs['maxModelLen']).toBe(answers[id]?.maxModelLen);

    // In the cluster: the same InferenceServices, now serving with the smaller length.
    const cluster = await openSavedDemo(first.home);
    try {
      expect(cluster.inferenceServices().sort()).toEqual([...MODEL_NAMES].sort());
      for (const id of VLLM_STEPS) {
        const name = after.steps.find((s) => s.step === id)?.outputs['name'] as string;
        const isvc = cluster.sim.store.get(cluster.sim.kinds.byKind('InferenceService'), 'llm-hosting', name);
        expect(JSON.stringify(isvc?.['spec'])).toContain(`--max-model-len=${answers[id]?.maxModelLen}`);
      }
    } finally {
      await cluster.stop();
    }
  });

  it('interrupted twice (during SSO, then during serving), the demo resumes to done with one InferenceService per model and one client 3scale', async () => {
    const home = tempDir('maas-e2e-');
    const interruptAt = async (pattern: RegExp): Promise<{ code: number; text: string }> => {
      const stdout = new Capture();
      let interrupt: (() => void) | undefined;
      let ended = false;
      const run = runDemo(['--answers', localImportAnswers(home), '--output', 'json'], { home, stdout, onInterrupt: (h) => (interrupt = h) }).finally(() => {
        ended = true;
        stdout.write('\n'); // wakes `until`: a run that ends before the point awaited fails with its output, not a timeout
      });
      await until(() => ended || pattern.test(stdout.text), `a line matching ${String(pattern)}`, 50_000);
      expect(pattern.test(stdout.text), `the run ended before ${String(pattern)}:\n${stdout.text.slice(-3000)}`).toBe(true);
      interrupt?.();
      const r = await run;
      return { code: r.code, text: stdout.text };
    };

    const a = await interruptAt(/"step":"sso\.client","state":"applying"/);
    expect(a.code).toBe(130);
    expect(jsonEvents(a.text).at(-1)).toMatchObject({ type: 'run-finished', result: 'cancelled' });
    let status = await readStatus(home);
    // Interrupted steps are never recorded as done.
    expect(status.steps.filter((s) => s.state === 'cancelled').length).toBeGreaterThan(0);
    expect(status.steps.find((s) => s.step === 'serving.mistral-7b-instruct')?.state).not.toBe('done');

    const b = await interruptAt(/"step":"serving\.[a-z0-9-]+","state":"applying"/);
    expect(b.code).toBe(130);
    status = await readStatus(home);
    expect(status.steps.some((s) => s.state !== 'done')).toBe(true);

    const c = await runDemo(['--answers', localImportAnswers(home)], { home });
    expect(c.code, tail(c)).toBe(0);
    status = await readStatus(home);
    for (const s of status.steps) expect(s.state, s.step).toBe('done');

    const cluster = await openSavedDemo(home);
    try {
      expect(cluster.inferenceServices().sort()).toEqual([...MODEL_NAMES].sort());
      const clients = await cluster.keycloakClients('maas');
      const threescale = clients.filter((x) => x.clientId === '3scale');
      expect(threescale).toHaveLength(1);
      expect([...(threescale[0]?.mappers ?? [])].sort()).toEqual(['email verified', 'org_name']);
    } finally {
      await cluster.stop();
    }
  });
});
