/**
 * The trainer's keys and the repair marks on the screen: `e` toggles a step's full explanation
 * (why, equivalent commands; shown from the start with `--explain`), `g` the graph view of the
 * stages, a drifted step shows its drift and the repair plan, and the demo's scenario picker.
 */
import { createElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { NORMAL_RUN, ScenarioPicker } from '../../src/ui/scenario-picker.js';
import { KEYS, mount, waitForFrame } from './helpers.js';
import { T0, mountApp, runningEvents } from './fixtures.js';

afterEach(() => cleanup());

describe('explanations', () => {
  it('without --explain: what the step does, and e shows why and the commands (e again hides them)', async () => {
    const { store, inst } = mountApp({ props: { explain: false } });
    for (const e of runningEvents().slice(0, 4)) store.dispatch(e);
    const short = await waitForFrame(inst, 'Creates the project the models are served from.');
    expect(short).not.toContain('Why: KServe');
    expect(short).not.toContain('$ oc new-project llm-hosting');
    expect(short).toContain('(e: why, and the commands to do it by hand)');
    inst.stdin.write('e');
    const full = await waitForFrame(inst, 'Why: KServe and the dashboard need the labels.');
    expect(full).toContain('$ oc new-project llm-hosting');
    inst.stdin.write('e');
    await waitForFrame(inst, (f) => !f.includes('Why: KServe'));
  });

  it('with --explain the full explanation is there from the start', async () => {
    const { store, inst } = mountApp({ props: { explain: true } });
    for (const e of runningEvents().slice(0, 4)) store.dispatch(e);
    const frame = await waitForFrame(inst, 'Creates the project');
    expect(frame).toContain('Why: KServe and the dashboard need the labels.');
    expect(frame).toContain('$ oc new-project llm-hosting');
  });
});

describe('graph view', () => {
  it('g shows the stages in dependency layers with the run state and where it is, g again goes back', async () => {
    const { store, inst } = mountApp();
    for (const e of runningEvents()) store.dispatch(e);
    await waitForFrame(inst, 'currently Pending');
    inst.stdin.write('g');
    const graph = await waitForFrame(inst, 'Stages by dependency layer');
    expect(graph).toMatch(/^ 1 {2}✔ Preflight$/m);
    // After preflight: project, SSO and 3scale in parallel (one row); the run is at the storage stage.
    expect(graph).toMatch(/^ 2 {2}✔ Project {3}▶ SSO {3}◌ 3scale$/m);
    expect(graph).toMatch(/^ 3 ›▶ Object storage {3}◌ Policies {3}◌ Portal$/m);
    expect(graph).toContain('Portal ← SSO, 3scale');
    expect(graph).toContain('g/Esc back to the steps');
    for (const l of graph.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
    inst.stdin.write('g');
    await waitForFrame(inst, 'currently Pending');
  });

  it('anything the person is asked replaces the graph', async () => {
    const { store, inst, host } = mountApp();
    for (const e of runningEvents().slice(0, 6)) store.dispatch(e);
    await waitForFrame(inst, 'Preflight');
    inst.stdin.write('g');
    await waitForFrame(inst, 'Stages by dependency layer');
    void host.confirmPlan({ id: 'storage', title: 'Bucket for the models' }, [{ action: 'create', target: 'ObjectBucketClaim llm-hosting/models' }]);
    const frame = await waitForFrame(inst, 'Apply this plan');
    expect(frame).not.toContain('Stages by dependency layer');
  });
});

describe('drift on the screen', () => {
  it('a step found drifted says so, and its plan is the repair', async () => {
    const { store, inst } = mountApp();
    store.dispatch({ type: 'run-started', at: T0, steps: ['preflight', 'project'] });
    store.dispatch({ type: 'state', at: T0 + 1000, step: 'project', state: 'verifying' });
    store.dispatch({ type: 'state', at: T0 + 2000, step: 'project', state: 'planning', drift: 'Namespace llm-hosting not found' });
    store.dispatch({ type: 'plan', at: T0 + 3000, step: 'project', changes: [{ action: 'create', target: 'Namespace llm-hosting' }], hash: 'h' });
    const frame = await waitForFrame(inst, 'drifted: Namespace llm-hosting not found');
    expect(frame).toContain('the plan below repairs it');
    expect(frame).toContain('Namespace llm-hosting');
    store.dispatch({ type: 'state', at: T0 + 4000, step: 'project', state: 'done' });
    await waitForFrame(inst, (f) => !f.includes('drifted:'));
  });
});

describe("the demo's scenario picker", () => {
  const SCENARIOS = [
    { name: 'no-rwx-class', description: 'no ReadWriteMany StorageClass: 3scale system-storage stays Pending' },
    { name: 'kv-cache-too-small', description: 'the GPUs hold a KV cache of 15000 tokens: vLLM crash-loops' },
  ];

  it('offers a normal run first, describes the highlighted scenario, and returns the one picked', async () => {
    let picked: string | undefined;
    const inst = mount(createElement(ScenarioPicker, { scenarios: SCENARIOS, onPick: (n: string) => (picked = n) }));
    const first = await waitForFrame(inst, '❯ Normal run');
    expect(first).toContain('kv-cache-too-small');
    inst.stdin.write(KEYS.down);
    inst.stdin.write(KEYS.down);
    const frame = await waitForFrame(inst, '❯ kv-cache-too-small');
    expect(frame).toContain('vLLM crash-loops');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, () => picked !== undefined, 50);
    expect(picked).toBe('kv-cache-too-small');
  });

  it('Enter at once is a normal run', async () => {
    let picked: string | undefined;
    const inst = mount(createElement(ScenarioPicker, { scenarios: SCENARIOS, onPick: (n: string) => (picked = n) }));
    await waitForFrame(inst, '❯ Normal run');
    inst.stdin.write(KEYS.enter);
    await expect.poll(() => picked).toBe(NORMAL_RUN);
  });
});
