import { afterEach, describe, expect, it } from 'vitest';
import { EXIT, StepError, UserError } from '../../src/engine/errors.js';
import type { Change, EngineEvent, KubeObject } from '../../src/engine/types.js';
import { allSteps } from '../../steps/index.js';

/** The two steps under test: later stages need services these tests do not start. */
const firstSteps = () => allSteps().filter((s) => s.id === 'preflight' || s.id === 'project');
import { PROJECT_LABELS, projectInputs, projectStep } from '../../steps/project.js';
import { hasSim, runSteps, startCluster } from './sim.js';
import type { TestCluster } from './sim.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

function planOf(events: EngineEvent[], step: string): Change[] {
  const e = events.find((x): x is Extract<EngineEvent, { type: 'plan' }> => x.type === 'plan' && x.step === step);
  if (!e) throw new Error(`no plan event for ${step}`);
  return e.changes;
}

async function namespace(c: TestCluster, name: string): Promise<KubeObject | undefined> {
  return c.services.kube.get('v1', 'Namespace', name);
}

describe('project inputs', () => {
  it('defaults to llm-hosting', () => {
    expect(projectInputs.parse({})).toEqual({ namespace: 'llm-hosting' });
  });

  it('refuses names that are not RFC 1123 labels, with a clear message', () => {
    for (const bad of ['Foo', 'llm_hosting', '-x', 'x-', 'a'.repeat(64), '']) {
      const r = projectInputs.safeParse({ namespace: bad });
      expect(r.success, bad).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/lowercase RFC 1123 label/);
    }
    expect(projectInputs.safeParse({ namespace: 'team-1' }).success).toBe(true);
  });
});

describe.skipIf(!hasSim)('project against the simulated cluster', () => {
  it('creates the project with its labels; a second run plans nothing and writes nothing', async () => {
    cluster = await startCluster();
    const first = await runSteps(cluster.services, firstSteps(), { project: { namespace: 'llm-hosting' } });
    expect(first.result.result).toBe('done');
    expect(first.result.outputs['project']).toEqual({ namespace: 'llm-hosting' });
    const created = planOf(first.events, 'project');
    expect(created.map((c) => c.action)).toEqual(['create', 'update']);
    expect(created[0]?.manifest?.kind).toBe('ProjectRequest');
    expect(created[1]?.diff).toEqual([
      { path: 'metadata.labels.modelmesh-enabled', from: undefined, to: 'false' },
      { path: 'metadata.labels.opendatahub.io/dashboard', from: undefined, to: 'true' },
    ]);
    const ns = await namespace(cluster, 'llm-hosting');
    expect(ns?.metadata.labels).toMatchObject(PROJECT_LABELS);
    expect((ns?.['status'] as { phase?: string }).phase).toBe('Active');

    const writesBefore = cluster.sim.faults.writeCount();
    const second = await runSteps(cluster.services, firstSteps(), { project: { namespace: 'llm-hosting' } });
    expect(second.result.result).toBe('done');
    expect(planOf(second.events, 'project').every((c) => c.action === 'none')).toBe(true);
    expect(cluster.sim.faults.writeCount()).toBe(writesBefore);
  });

  it('adopts an existing namespace: adds the labels with a merge patch, deletes nothing', async () => {
    cluster = await startCluster();
    const { kube } = cluster.services;
    await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-models', labels: { owner: 'ml-team', 'modelmesh-enabled': 'true' } } });
    await kube.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'keep-me', namespace: 'team-models' }, data: { a: 'b' } });
    const { result, events } = await runSteps(cluster.services, firstSteps(), { project: { namespace: 'team-models' } });
    expect(result.result).toBe('done');
    const plan = planOf(events, 'project');
    expect(plan).toHaveLength(1);
    expect(plan[0]?.action).toBe('update');
    expect(plan[0]?.diff).toContainEqual({ path: 'metadata.labels.modelmesh-enabled', from: 'true', to: 'false' });
    const ns = await namespace(cluster, 'team-models');
    expect(ns?.metadata.labels).toMatchObject({ owner: 'ml-team', ...PROJECT_LABELS });
    expect(await kube.get('v1', 'ConfigMap', 'keep-me', 'team-models')).toBeDefined();
  });

  it('refuses an invalid name before touching the cluster, with exit-2 semantics', async () => {
    cluster = await startCluster();
    const writesBefore = cluster.sim.faults.writeCount();
    const { result } = await runSteps(cluster.services, firstSteps(), { project: { namespace: 'Bad_Name' } });
    expect(result.result).toBe('failed');
    expect(result.exitCode).toBe(EXIT.usage);
    expect(result.firstError?.message).toMatch(/lowercase RFC 1123 label/);
    expect(cluster.sim.faults.writeCount()).toBe(writesBefore);
  });
});

describe('project diagnosis', () => {
  const ctx = {
    inputs: { namespace: 'llm-hosting' },
    outputs: (id: string) => (id === 'preflight' ? { user: 'developer' } : undefined),
  } as never;

  it('turns a denied ProjectRequest into "ask an admin for the project", naming the user', async () => {
    const denied = new UserError('rbac.denied', 'the cluster refused (create ProjectRequest llm-hosting): projectrequests.project.openshift.io is forbidden: User "developer" cannot create resource "projectrequests" in API group "project.openshift.io" at the cluster scope');
    const d = await projectStep.diagnose?.(ctx, new StepError('project', 'apply', denied));
    expect(d?.summary).toMatch(/may not create projects/);
    expect(d?.fix).toContain('oc adm policy add-role-to-user admin developer -n llm-hosting');
  });

  it('says nothing about errors that are not RBAC denials', async () => {
    expect(await projectStep.diagnose?.(ctx, new Error('boom'))).toBeUndefined();
  });
});
