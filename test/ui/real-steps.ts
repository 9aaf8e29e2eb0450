/**
 * Screens built from the wizard's real step definitions (steps/): the App mounted on every step
 * of `allSteps()` (their titles, stages and explanations), preflight facts as the preflight step
 * would record them, and the engine's own input resolution (`resolveInputs`) putting the real
 * forms to the screen's host. No cluster: events are fed by hand.
 */
import { createElement } from 'react';
import { resolveInputs } from '../../src/engine/inputs.js';
import type { ResolvedInputs } from '../../src/engine/inputs.js';
import type { AnyStep, DefaultsContext, EngineEvent } from '../../src/engine/types.js';
import { App } from '../../src/ui/App.js';
import { UiStore } from '../../src/ui/store.js';
import { MODEL_PICKER, pickerInputs } from '../../src/cli/models.js';
import { allSteps } from '../../steps/index.js';
import { loadCatalog, modelsField } from '../../steps/import/index.js';
import type { PreflightFacts } from '../../steps/preflight-facts.js';
import { HEADER, NOW, T0 } from './fixtures.js';
import { mount } from './helpers.js';

/** What preflight finds on a typical ODF cluster with one A10G GPU node. */
export const FACTS: PreflightFacts = {
  user: 'developer',
  groups: [],
  isOpenShift: true,
  version: '4.16.8',
  domain: 'apps.demo.example.com',
  bucketClass: 'ocs-storagecluster-ceph-rgw',
  bucketClasses: [
    { name: 'ocs-storagecluster-ceph-rgw', provisioner: 'openshift-storage.ceph.rook.io/bucket', kind: 'rgw' },
    { name: 'openshift-storage.noobaa.io', provisioner: 'openshift-storage.noobaa.io/obc', kind: 'noobaa' },
  ],
  rwxClass: 'ocs-storagecluster-cephfs',
  rwxClasses: [{ name: 'ocs-storagecluster-cephfs', provisioner: 'openshift-storage.cephfs.csi.ceph.com' }],
  gpu: { product: 'NVIDIA-A10G', count: 1, total: 1, nodes: 1, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] },
  operators: {},
  checks: [],
};

/** Outputs of the steps before the forms shown: preflight's facts and the project. */
export const OUTPUTS: Record<string, Record<string, unknown>> = {
  preflight: FACTS as unknown as Record<string, unknown>,
  project: { namespace: 'llm-hosting' },
};

/** The defaults context the engine gives input resolution after preflight and project. */
export const CTX: DefaultsContext = { outputs: (id) => OUTPUTS[id] };

/** Every real step (the guide's three models). */
export const REAL_STEPS: AnyStep[] = allSteps() as AnyStep[];

/**
 * The model picker asked before the graph is built (src/cli/models.ts), as a step-shaped form so
 * that `askReal` and the prompts put it to the screen the way the wizard does.
 */
export function modelPicker(): AnyStep {
  return { ...MODEL_PICKER, stage: 'import', needs: [], inputs: pickerInputs(loadCatalog()), fields: [modelsField(loadCatalog())] } as unknown as AnyStep;
}

/** The real step `id`; throws when there is none (a renamed step must fail the test, not skip it). */
export function realStep(id: string): AnyStep {
  const step = REAL_STEPS.find((s) => s.id === id);
  if (!step) throw new Error(`no step ${id} among ${REAL_STEPS.map((s) => s.id).join(', ')}`);
  return step;
}

/** Events of a run that got past preflight and project (outputs recorded as the engine does). */
export function pastProject(): EngineEvent[] {
  return [
    { type: 'run-started', at: T0, steps: REAL_STEPS.map((s) => s.id) },
    { type: 'state', at: T0, step: 'preflight', state: 'planning' },
    { type: 'outputs', at: T0 + 4_000, step: 'preflight', outputs: OUTPUTS['preflight']! },
    { type: 'state', at: T0 + 4_000, step: 'preflight', state: 'done' },
    { type: 'state', at: T0 + 4_000, step: 'project', state: 'applying' },
    { type: 'outputs', at: T0 + 6_000, step: 'project', outputs: OUTPUTS['project']! },
    { type: 'state', at: T0 + 6_000, step: 'project', state: 'done' },
  ];
}

/** Mounts the App on the real steps, frozen at NOW, 80×24, with preflight and project done. */
export function mountReal() {
  const store = new UiStore(REAL_STEPS);
  const inst = mount(createElement(App, { store, header: HEADER, frozen: true, now: NOW, columns: 80, rows: 24 }));
  for (const e of pastProject()) store.dispatch(e);
  return { store, inst, host: store.host() };
}

/**
 * Puts the real step's form on the screen the way the engine does (resolveInputs → host.askInputs),
 * with `answers` as from an answers file and `env` for secret fields; resolves with what the
 * engine would run the step with once the person submits.
 */
export function askReal(
  host: ReturnType<UiStore['host']>,
  step: AnyStep,
  answers: Record<string, unknown> = {},
  env: Record<string, string | undefined> = {},
): Promise<ResolvedInputs> {
  return resolveInputs({
    step,
    defaultsContext: CTX,
    answers,
    env,
    askWhenValid: true,
    ask: (values, errors) => host.askInputs({ id: step.id, title: step.title, explain: step.explain }, step.fields, values, errors),
  });
}
