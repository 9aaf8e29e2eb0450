import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError, userErrorOf } from '../../src/engine/errors.js';
import { ScriptedHost } from '../../src/engine/host.js';
import { openProgress } from '../../src/engine/progress.js';
import { Engine } from '../../src/engine/run.js';
import type { AnyStep, Change, StepContext } from '../../src/engine/types.js';
import { collect } from './fixtures.js';

/** A "project" step: namespace (DNS label, default llm-hosting), storage class (from defaults), region. */
function projectStep(seen: { ctx?: StepContext }, extra: Partial<AnyStep> = {}): AnyStep {
  return {
    id: 'project',
    stage: 'project',
    title: 'Project',
    needs: [],
    inputs: z.object({
      namespace: z.string().regex(/^[a-z0-9-]+$/, 'must be a DNS label').default('llm-hosting'),
      storageClass: z.string(),
      region: z.string().default('us-east-1'),
    }),
    fields: [
      { key: 'namespace', label: 'Namespace', kind: 'text', flag: '--namespace' },
      { key: 'storageClass', label: 'Bucket class', kind: 'text' },
      { key: 'region', label: 'Region', kind: 'text' },
    ],
    defaults: () => ({ storageClass: 'ocs-storagecluster-ceph-rgw' }),
    explain: { what: 'project', why: 'test', commands: [] },
    async plan(ctx) {
      seen.ctx = ctx;
      return [{ action: 'create', target: `Namespace ${String(ctx.inputs.namespace)}` }];
    },
    async apply() {},
    async verify(ctx) {
      return { namespace: ctx.inputs.namespace };
    },
    ...extra,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'maas-engine-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('inputs', () => {
  it('layers schema defaults, step defaults, saved inputs and answers', async () => {
    const store = await openProgress({ dir, profile: 'p', wizardVersion: '0.1.0' });
    store.setInputs('project', { region: 'eu-west-1', storageClass: 'saved-class', namespace: 'saved-ns' });
    const seen: { ctx?: StepContext } = {};
    const engine = new Engine({
      steps: [projectStep(seen)],
      services: {},
      host: new ScriptedHost({}, { interactive: false }),
      progress: store,
      answers: { project: { namespace: 'from-answers' } },
    });
    const r = await engine.run();
    await store.close();
    expect(r.result).toBe('done');
    expect(seen.ctx?.inputs).toEqual({ namespace: 'from-answers', storageClass: 'saved-class', region: 'eu-west-1' });
  });

  it('uses step defaults over schema defaults when nothing is saved or answered', async () => {
    const seen: { ctx?: StepContext } = {};
    const engine = new Engine({ steps: [projectStep(seen)], services: {}, host: new ScriptedHost({}, { interactive: false }) });
    expect((await engine.run()).result).toBe('done');
    expect(seen.ctx?.inputs).toEqual({ namespace: 'llm-hosting', storageClass: 'ocs-storagecluster-ceph-rgw', region: 'us-east-1' });
  });

  it('without a TTY, a missing value is an InputError naming the answers-file key and the flag; nothing runs', async () => {
    const seen: { ctx?: StepContext } = {};
    const step = projectStep(seen, {
      inputs: z.object({ namespace: z.string(), storageClass: z.string() }),
      defaults: undefined,
    });
    const engine = new Engine({ steps: [step], services: {}, host: new ScriptedHost({}, { interactive: true }), yes: true });
    const r = await engine.run();
    expect(r.result).toBe('failed');
    expect(r.exitCode).toBe(2);
    const err = userErrorOf(r.error);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('project.namespace');
    expect(r.firstError?.code).toBe('input.invalid');
    expect(r.firstError?.phase).toBe('inputs');
    expect(r.firstError?.message).toContain('project.namespace');
    expect(r.firstError?.message).toContain('--namespace');
    expect(r.firstError?.message).toContain('project.storageClass');
    expect(r.firstError?.fix).toMatch(/answers file/);
    expect(seen.ctx).toBeUndefined();
  });

  it('an invalid answered value without a TTY names the key and the rule', async () => {
    const engine = new Engine({
      steps: [projectStep({})],
      services: {},
      host: new ScriptedHost({}, { interactive: false }),
      answers: { project: { namespace: 'Bad_Name' } },
    });
    const r = await engine.run();
    expect(r.firstError?.message).toMatch(/^project\.namespace: must be a DNS label/);
  });

  it('interactive: shows the form prefilled, re-asks with the errors until the values parse', async () => {
    const seen: { ctx?: StepContext } = {};
    const host = new ScriptedHost({ inputs: { project: [{ namespace: 'Bad_Name' }, { namespace: 'good-ns' }] } });
    const engine = new Engine({ steps: [projectStep(seen)], services: {}, host });
    const r = await engine.run();
    expect(r.result).toBe('done');
    const asks = host.calls.filter((c) => c.kind === 'askInputs');
    expect(asks).toHaveLength(2);
    expect(asks[0]).toMatchObject({ values: { namespace: 'llm-hosting', storageClass: 'ocs-storagecluster-ceph-rgw' }, errors: {} });
    expect(asks[1]).toMatchObject({ values: { namespace: 'Bad_Name' }, errors: { namespace: 'must be a DNS label' } });
    expect(seen.ctx?.inputs.namespace).toBe('good-ns');
  });
});

describe('plan confirmation', () => {
  const noneStep = (): AnyStep => ({
    ...projectStep({}),
    id: 'unchanged',
    plan: async (): Promise<Change[]> => [{ action: 'none', target: 'Namespace llm-hosting' }],
  });

  it('asks for a plan with changes, not for a plan of only "none"', async () => {
    const host = new ScriptedHost();
    const r = await new Engine({ steps: [projectStep({}), noneStep()], services: {}, host }).run();
    expect(r.result).toBe('done');
    expect(host.calls.filter((c) => c.kind === 'confirmPlan').map((c) => c.step)).toEqual(['project']);
  });

  it('does not ask with --yes', async () => {
    const host = new ScriptedHost();
    const r = await new Engine({ steps: [projectStep({})], services: {}, host, yes: true }).run();
    expect(r.result).toBe('done');
    expect(host.calls).toEqual([]);
  });

  it('"abort" stops the run: the step is cancelled and never applied', async () => {
    let applied = false;
    const host = new ScriptedHost({ plans: 'abort' });
    const step = projectStep({}, { apply: async () => void (applied = true) });
    const r = await new Engine({ steps: [step], services: {}, host }).run();
    expect(r.result).toBe('cancelled');
    expect(r.states.project).toBe('cancelled');
    expect(applied).toBe(false);
  });
});

describe('plan-only', () => {
  it('plans every step whose needs are satisfied and applies nothing', async () => {
    const applied: string[] = [];
    const mk = (id: string, needs: string[], action: Change['action']): AnyStep => ({
      ...projectStep({}),
      id,
      needs,
      plan: async () => [{ action, target: id }],
      apply: async () => void applied.push(id),
    });
    const engine = new Engine({
      steps: [mk('a', [], 'create'), mk('b', ['a'], 'create'), mk('c', [], 'none'), mk('d', ['c'], 'update')],
      services: {},
      host: new ScriptedHost(),
      planOnly: true,
    });
    const events = collect(engine);
    const r = await engine.run();
    expect(applied).toEqual([]);
    expect(r.result).toBe('done');
    expect(r.states).toEqual({ a: 'skipped', b: 'pending', c: 'done', d: 'skipped' });
    expect(events.filter((e) => e.type === 'plan').map((e) => (e.type === 'plan' ? e.step : ''))).toEqual(['a', 'c', 'd']);
  });
});

describe('secrets', () => {
  const TOKEN = 'hf_TopSecretTokenValue123';

  const importStep = (seen: { ctx?: StepContext }): AnyStep => ({
    ...projectStep(seen),
    id: 'import',
    inputs: z.object({ model: z.string().default('mistralai/Mistral-7B-Instruct-v0.3') }),
    secrets: z.object({ hfToken: z.string().startsWith('hf_') }),
    fields: [
      { key: 'model', label: 'Model', kind: 'text' },
      { key: 'hfToken', label: 'Hugging Face token', kind: 'secret', env: 'HF_TOKEN', flag: '--hf-token' },
    ],
    defaults: undefined,
    async plan(ctx) {
      seen.ctx = ctx;
      ctx.log(`using token ${ctx.secrets.hfToken ?? ''}`);
      return [{ action: 'create', target: 'Secret hf-token', note: `token ${ctx.secrets.hfToken ?? ''}` }];
    },
    async apply(ctx) {
      ctx.progress({ message: `copying with ${ctx.secrets.hfToken ?? ''}` });
    },
    async verify(ctx) {
      throw new Error(`401 for token ${ctx.secrets.hfToken ?? ''}`);
    },
  });

  it('come from env, reach the step, and never appear in events, errors, the host log or the progress file', async () => {
    const store = await openProgress({ dir, profile: 'p', wizardVersion: '0.1.0' });
    const seen: { ctx?: StepContext } = {};
    const host = new ScriptedHost({ inputs: { import: { model: 'ibm-granite/granite-8b-code-instruct-128k' } } });
    const engine = new Engine({ steps: [importStep(seen)], services: {}, host, progress: store, env: { HF_TOKEN: TOKEN } });
    const events = collect(engine);
    const r = await engine.run();
    await store.close();
    expect(seen.ctx?.secrets).toEqual({ hfToken: TOKEN });
    expect(seen.ctx?.inputs).toEqual({ model: 'ibm-granite/granite-8b-code-instruct-128k' });
    expect(r.result).toBe('failed');
    expect(r.firstError?.message).toContain('401 for token');
    expect(JSON.stringify(r.firstError)).not.toContain(TOKEN);
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(JSON.stringify(events)).toContain('<redacted>');
    expect(JSON.stringify(host.calls)).not.toContain(TOKEN);
    expect(JSON.stringify(engine.snapshot())).not.toContain(TOKEN);
    const file = readFileSync(store.path, 'utf8');
    expect(file).not.toContain(TOKEN);
    expect(file).not.toContain('hfToken');
    expect(file).toContain('granite-8b-code-instruct-128k');
  });

  it('a missing secret without a TTY names the flag and the environment variable', async () => {
    const engine = new Engine({ steps: [importStep({})], services: {}, host: new ScriptedHost({}, { interactive: false }), env: {} });
    const r = await engine.run();
    expect(r.exitCode).toBe(2);
    expect(r.firstError?.message).toContain('import.hfToken');
    expect(r.firstError?.fix).toContain('HF_TOKEN');
    expect(r.firstError?.fix).toContain('--hf-token');
  });

  it('secrets given to the engine win over the environment', async () => {
    const seen: { ctx?: StepContext } = {};
    const engine = new Engine({
      steps: [importStep(seen)],
      services: {},
      host: new ScriptedHost({}, { interactive: false }),
      secrets: { import: { hfToken: 'hf_fromFlag0001' } },
      env: { HF_TOKEN: TOKEN },
    });
    await engine.run();
    expect(seen.ctx?.secrets.hfToken).toBe('hf_fromFlag0001');
  });
});
