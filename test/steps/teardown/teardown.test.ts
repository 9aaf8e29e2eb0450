/**
 * The teardown plan and runner of `maas-wizard destroy` on hand-made steps (no cluster): which
 * steps, in which order, what a failure keeps, what an abort leaves recorded, and what the
 * storage teardowns keep without --delete-data.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { planEntry, selectSteps } from '../../../src/cli/destroy/plan.js';
import type { PlanEntry } from '../../../src/cli/destroy/plan.js';
import { resultLine, runTeardown } from '../../../src/cli/destroy/run.js';
import type { ProgressSource } from '../../../src/cli/destroy/context.js';
import { UserError } from '../../../src/engine/errors.js';
import type { AnyStep } from '../../../src/engine/types.js';
import { teardownFor } from '../../../steps/teardown/index.js';
import { projectTeardown, storageTeardown } from '../../../steps/teardown/storage.js';
import type { Teardown, TeardownContext } from '../../../steps/teardown/types.js';

function step(id: string, needs: string[] = [], destroy?: () => Promise<void>): AnyStep {
  return {
    id, stage: 'project', title: id, needs, inputs: z.object({}), fields: [],
    plan: () => Promise.resolve([]), apply: () => Promise.resolve(), verify: () => Promise.resolve({}),
    ...(destroy ? { destroy } : {}),
    explain: { what: '', why: '', commands: [] },
  };
}

function progress(records: Record<string, { state: string; attempts?: unknown[]; outputs?: Record<string, unknown> }>, inputs: Record<string, Record<string, unknown>> = {}): ProgressSource {
  return {
    inputs: (id) => inputs[id],
    stepRecord: (id) => (records[id] ? { attempts: [{}], ...records[id] } : undefined),
  };
}

/** A describe/run context for hand-made calls (no services). */
function ctx(stepId: string, inputs: Record<string, unknown>, others: Record<string, Record<string, unknown>> = {}, deleteData = false): TeardownContext {
  return {
    stepId, inputs, secrets: {}, services: undefined as never, signal: new AbortController().signal,
    waitFor: () => Promise.reject(new Error('no waits here')), progress: () => undefined, log: () => undefined,
    ask: () => Promise.reject(new Error('no questions')), unattended: true,
    outputs: () => undefined, options: { deleteData }, inputsOf: (id) => others[id], keptBecause: () => undefined,
  };
}

const graph = [step('a'), step('b', ['a']), step('c', ['b']), step('d', ['a'])];
const done = { state: 'done' };

describe('destroy plan', () => {
  it('orders the recorded steps dependants first and leaves out the ones never recorded', () => {
    const sel = selectSteps(graph, progress({ a: done, b: done, c: done }));
    expect(sel.steps.map((s) => s.id)).toEqual(['c', 'b', 'a']);
  });

  it('--step takes the step and its dependants only; a record that never ran is only forgotten', () => {
    const sel = selectSteps(graph, progress({ a: done, b: done, c: { state: 'pending', attempts: [] } }), 'b');
    expect(sel.steps.map((s) => s.id)).toEqual(['b']);
    expect(sel.neverRan).toEqual(['c']);
  });

  it('an unknown --step is a usage error listing the steps', () => {
    const err = (() => {
      try {
        selectSteps(graph, progress({}), 'x');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).usage).toBe(true);
    expect((err as UserError).fix).toContain('a, b, c, d');
  });

  it('finds teardowns by id and by prefix, and none for an unknown step', () => {
    expect(teardownFor('serving.granite-8b-code-instruct')).toBe(teardownFor('serving.x'));
    expect(teardownFor('threescale.product.x')).not.toBe(teardownFor('policies.x'));
    expect(teardownFor('project')).toBe(projectTeardown);
    expect(teardownFor('something.new')).toBeUndefined();
  });
});

describe('destroy runner', () => {
  const entry = (s: AnyStep, teardown: Teardown): PlanEntry => ({ step: s, teardown, own: Boolean(s.destroy), items: [] });
  const ok = (what: string): Teardown => ({ describe: () => [], run: (_c, report) => Promise.resolve(report({ what, result: 'deleted' })) });

  it('a failed step stays recorded, the steps it needs are kept, independent steps go on', async () => {
    const forgotten: string[] = [];
    const failing: Teardown = { describe: () => [], run: () => Promise.reject(new UserError('x.failed', 'it broke', { fix: 'try again' })) };
    const entries = [entry(graph[2] as AnyStep, ok('C')), entry(graph[3] as AnyStep, ok('D')), entry(graph[1] as AnyStep, failing), entry(graph[0] as AnyStep, ok('A'))];
    // c, d, b (fails), a: a is needed by b, so it is kept.
    const order = [entries[0], entries[2], entries[1], entries[3]] as PlanEntry[];
    const results = await runTeardown({ entries: order, graph, contextOf: (e) => Promise.resolve(ctx(e.step.id, {})), forget: (ids) => forgotten.push(...ids), signal: new AbortController().signal, onResult: () => undefined });
    expect(results.map((r) => `${r.step}:${r.result}`)).toEqual(['c:done', 'b:failed', 'd:done', 'a:skipped']);
    expect(forgotten).toEqual(['c', 'd']);
    expect(resultLine(results[1] as never)).toBe('✗ b: it broke\n  fix: try again');
    expect(resultLine(results[3] as never)).toBe('- a: kept: b, which needs it, failed to tear down');
  });

  it('the step\'s own destroy does the deleting when it has one', async () => {
    const calls: string[] = [];
    const own = step('v', [], () => Promise.resolve(void calls.push('own')));
    const td: Teardown = { describe: () => [], run: () => Promise.resolve(void calls.push('run')), afterOwn: (_c, report) => Promise.resolve(report({ what: 'X', result: 'deleted' })) };
    const [r] = await runTeardown({ entries: [entry(own, td)], graph: [own], contextOf: (e) => Promise.resolve(ctx(e.step.id, {})), forget: () => undefined, signal: new AbortController().signal, onResult: () => undefined });
    expect(calls).toEqual(['own']);
    expect(resultLine(r as never)).toBe('✓ v: deleted X');
  });

  it('an abort stops the teardown: the step running and the rest stay recorded', async () => {
    const controller = new AbortController();
    const forgotten: string[] = [];
    const aborting: Teardown = { describe: () => [], run: () => { controller.abort(); return Promise.reject(new DOMException('aborted', 'AbortError')); } };
    const results = await runTeardown({
      entries: [entry(graph[2] as AnyStep, ok('C')), entry(graph[1] as AnyStep, aborting), entry(graph[0] as AnyStep, ok('A'))],
      graph, contextOf: (e) => Promise.resolve(ctx(e.step.id, {})), forget: (ids) => forgotten.push(...ids), signal: controller.signal, onResult: () => undefined,
    });
    expect(results.map((r) => r.result)).toEqual(['done', 'interrupted', 'interrupted']);
    expect(forgotten).toEqual(['c']);
  });

  it('one line per step: deleted, updated, already gone and kept with the reason', () => {
    const line = resultLine({ step: 's', result: 'done', outcomes: [
      { what: 'A', result: 'deleted' }, { what: 'B', result: 'deleted' }, { what: 'I', result: 'updated', why: 'unpublished' },
      { what: 'G', result: 'gone' }, { what: 'K', result: 'kept', why: 'asked' },
    ] });
    expect(line).toBe('✓ s: deleted A, B; I: unpublished; already gone: G; kept K (asked)');
    expect(resultLine({ step: 'p', result: 'done', outcomes: [] }, 'nothing of its own')).toBe('✓ p: nothing of its own');
  });
});

describe('storage teardowns', () => {
  it('keep the bucket claim and its namespace without --delete-data, delete them with it', () => {
    const storage = { storage: { mode: 'obc', claimName: 'models' } };
    expect(storageTeardown.describe(ctx('storage', {}, storage))[0]?.keep).toMatch(/--delete-data/);
    expect(storageTeardown.describe(ctx('storage', {}, storage, true))[0]?.keep).toBeUndefined();
    expect(projectTeardown.describe(ctx('project', { namespace: 'llm-hosting' }, storage))[0]).toMatchObject({ ask: 'namespace', keep: expect.stringContaining('ObjectBucketClaim models') });
    expect(projectTeardown.describe(ctx('project', { namespace: 'llm-hosting' }, storage, true))[0]?.keep).toBeUndefined();
  });

  it('with existing S3: only the keys Secret goes, the bucket is not the wizard\'s', () => {
    const items = storageTeardown.describe(ctx('storage', {}, { storage: { mode: 'existing-s3', secretName: 'my-keys' } }));
    expect(items).toEqual([{ key: 'secret', what: expect.stringContaining('Secret llm-hosting/my-keys') }]);
    expect(projectTeardown.describe(ctx('project', { namespace: 'llm-hosting' }, { storage: { mode: 'existing-s3' } }))[0]?.keep).toBeUndefined();
  });

  it('a step with neither a teardown nor a destroy is planned as "nothing deleted"', () => {
    const e = planEntry(step('something.new'), ctx('something.new', {}));
    expect(e.items).toEqual([]);
    expect(e.note).toMatch(/no teardown is known/);
  });
});
