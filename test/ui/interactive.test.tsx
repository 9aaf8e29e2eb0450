/**
 * A scripted session: a fake engine runs two steps (form → plan → applying → done) through the
 * Ink host's Host; the test types into the forms, presses Enter as its own write (C15), confirms
 * the plans, and checks what the host calls resolved with and that the last frame shows both
 * steps done.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createElement } from 'react';
import { cleanup } from 'ink-testing-library';
import type { Change, EngineEvent, InputField } from '../../src/engine/types.js';
import { App } from '../../src/ui/App.js';
import type { Host } from '../../src/ui/host-types.js';
import { UiStore } from '../../src/ui/store.js';
import { KEYS, fakeEngine, mount, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

const STEPS = [
  { id: 'project', stage: 'project', title: 'Project', needs: [] },
  { id: 'storage', stage: 'storage', title: 'Bucket', needs: ['project'] },
];
const EXPLAIN = { what: 'Does the thing.', why: 'Because.', commands: [] };

const FIELDS: Record<string, InputField[]> = {
  project: [{ key: 'namespace', label: 'Namespace', kind: 'text' }],
  storage: [
    { key: 'claimName', label: 'Claim name', kind: 'text' },
    { key: 'sizeGi', label: 'Size (GiB)', kind: 'number' },
    {
      key: 'storageClass',
      label: 'Bucket class',
      kind: 'select',
      choices: (ctx) => [
        { value: 'ocs-storagecluster-ceph-rgw', label: 'ceph-rgw' },
        { value: 'openshift-storage.noobaa.io', label: `noobaa (for ${String(ctx.outputs('project')?.['namespace'])})` },
      ],
    },
  ],
};
const DEFAULTS: Record<string, Record<string, unknown>> = {
  project: { namespace: 'llm-hosting' },
  storage: { claimName: 'models', sizeGi: 10, storageClass: 'ocs-storagecluster-ceph-rgw' },
};

/** What a real engine does per step, in order, emitting the events the screens read. */
async function fakeRun(host: Host, emit: (e: EngineEvent) => void) {
  let t = 1_000;
  const results: { inputs: Record<string, Record<string, unknown>>; plans: Record<string, string> } = { inputs: {}, plans: {} };
  emit({ type: 'run-started', at: t, steps: STEPS.map((s) => s.id) });
  for (const s of STEPS) {
    emit({ type: 'state', at: (t += 10), step: s.id, state: 'ready' });
    const inputs = await host.askInputs({ id: s.id, title: s.title, explain: EXPLAIN }, FIELDS[s.id]!, DEFAULTS[s.id]!, {});
    results.inputs[s.id] = inputs;
    emit({ type: 'inputs', at: (t += 10), step: s.id, inputs });
    emit({ type: 'state', at: (t += 10), step: s.id, state: 'planning' });
    const changes: Change[] = [{ action: 'create', target: `thing ${s.id}` }];
    emit({ type: 'plan', at: (t += 10), step: s.id, changes, hash: 'x' });
    emit({ type: 'state', at: (t += 10), step: s.id, state: 'awaiting-confirmation' });
    const choice = await host.confirmPlan({ id: s.id, title: s.title }, changes);
    results.plans[s.id] = choice;
    if (choice === 'abort') throw new Error('aborted');
    emit({ type: 'state', at: (t += 10), step: s.id, state: 'applying' });
    emit({ type: 'wait', at: (t += 10), step: s.id, what: `thing ${s.id}`, currently: 'creating' });
    emit({ type: 'state', at: (t += 10), step: s.id, state: 'verifying' });
    emit({ type: 'outputs', at: (t += 10), step: s.id, outputs: { ...inputs } });
    emit({ type: 'state', at: (t += 1_000), step: s.id, state: 'done' });
  }
  emit({ type: 'run-finished', at: t + 10, result: 'done' });
  return results;
}

describe('interactive session with scripted keys', () => {
  it('fills two forms, confirms two plans, ends with both steps done', async () => {
    const engine = fakeEngine();
    const store = new UiStore(STEPS);
    engine.on(store.dispatch);
    const inst = mount(createElement(App, { store, header: { cluster: 'c', user: 'u', profile: 'p' }, frozen: true, columns: 80, rows: 24 }));
    await waitForFrame(inst, 'Project');
    const run = fakeRun(store.host(), engine.emit);

    // Step 1: clear the default, paste a name in one write, then Enter on its own.
    await waitForFrame(inst, '› Namespace: llm-hosting');
    inst.stdin.write('\u0015');
    await waitForFrame(inst, (f) => !f.includes('llm-hosting'));
    inst.stdin.write('team-models');
    await waitForFrame(inst, '› Namespace: team-models');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, 'Apply this plan (1 change)?');
    inst.stdin.write('y');

    // Step 2: keep the claim name, type a bad number, see the error, fix it, pick the second class.
    await waitForFrame(inst, '› Claim name: models');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '› Size (GiB): 10');
    inst.stdin.write('x'); // not accepted by a number field
    inst.stdin.write(KEYS.backspace);
    await waitForFrame(inst, (f) => /› Size \(GiB\): 1\s*$/m.test(f));
    inst.stdin.write('.5.');
    await waitForFrame(inst, '› Size (GiB): 1.5.');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '✖ "1.5." is not a number');
    inst.stdin.write(KEYS.backspace);
    await waitForFrame(inst, (f) => /› Size \(GiB\): 1\.5\s*$/m.test(f) && !f.includes('is not a number'));
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '❯ ceph-rgw');
    inst.stdin.write(KEYS.down);
    await waitForFrame(inst, '❯ noobaa (for team-models)');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, 'Apply this plan (1 change)?');
    inst.stdin.write(KEYS.enter); // Enter takes the default: apply

    const results = await run;
    expect(results.inputs).toEqual({
      project: { namespace: 'team-models' },
      storage: { claimName: 'models', sizeGi: 1.5, storageClass: 'openshift-storage.noobaa.io' },
    });
    expect(results.plans).toEqual({ project: 'apply', storage: 'apply' });
    const last = await waitForFrame(inst, 'All steps done');
    expect(last).toMatch(/✔ Project\s+0:01/);
    expect(last).toMatch(/✔ Object storage\s+0:01/);
    expect(last).not.toContain('Apply this plan');
  });

  it('answering n to the plan resolves abort', async () => {
    const engine = fakeEngine();
    const store = new UiStore(STEPS);
    engine.on(store.dispatch);
    const inst = mount(createElement(App, { store, header: { cluster: 'c', user: 'u', profile: 'p' }, frozen: true, columns: 80, rows: 24 }));
    await waitForFrame(inst, 'Project');
    const run = fakeRun(store.host(), engine.emit);
    await waitForFrame(inst, '› Namespace: llm-hosting');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, 'Apply this plan');
    inst.stdin.write('n');
    await expect(run).rejects.toThrow('aborted');
    await waitForFrame(inst, (f) => !f.includes('Apply this plan'));
  });

  it('shows the engine’s validation errors under their field and re-asks', async () => {
    const store = new UiStore(STEPS);
    const inst = mount(createElement(App, { store, header: { cluster: 'c', user: 'u', profile: 'p' }, frozen: true, columns: 80, rows: 24 }));
    await waitForFrame(inst, 'Project');
    const answer = store.host().askInputs(
      { id: 'project', title: 'Project', explain: EXPLAIN },
      FIELDS['project']!,
      { namespace: 'Bad_Name' },
      { namespace: 'must be a lowercase RFC 1123 label' },
    );
    await waitForFrame(inst, '✖ must be a lowercase RFC 1123 label');
    inst.stdin.write(KEYS.enter);
    await expect(answer).resolves.toEqual({ namespace: 'Bad_Name' });
  });
});

describe('forms that could get stuck', () => {
  it('a form without fields goes on with Enter; a select without choices is asked as text', async () => {
    const store = new UiStore(STEPS);
    const inst = mount(createElement(App, { store, header: { cluster: 'c', user: 'u', profile: 'p' }, frozen: true, columns: 80, rows: 24 }));
    await waitForFrame(inst, 'Project');
    const empty = store.host().askInputs({ id: 'project', title: 'Project', explain: EXPLAIN }, [], {}, {});
    await waitForFrame(inst, 'Nothing to fill in');
    inst.stdin.write(KEYS.enter);
    await expect(empty).resolves.toEqual({});
    const noChoices = store.host().askInputs(
      { id: 'storage', title: 'Bucket', explain: EXPLAIN },
      [{ key: 'storageClass', label: 'Bucket class', kind: 'select', choices: () => [] }],
      {},
      {},
    );
    await waitForFrame(inst, '› Bucket class:');
    inst.stdin.write('my-class');
    await waitForFrame(inst, '› Bucket class: my-class');
    inst.stdin.write(KEYS.enter);
    await expect(noChoices).resolves.toEqual({ storageClass: 'my-class' });
  });
});
