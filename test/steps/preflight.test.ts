import { afterEach, describe, expect, it } from 'vitest';
import { serializeError, userErrorOf } from '../../src/engine/errors.js';
import { assertNotBlocked } from '../../steps/preflight-facts.js';
import type { PreflightCheck, PreflightFacts } from '../../steps/preflight-facts.js';
import { preflightStep } from '../../steps/preflight.js';
import { hasSim, runSteps, startCluster } from './sim.js';
import type { TestCluster } from './sim.js';

let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function preflight(scenarios: string[] = []): Promise<{ facts: PreflightFacts; result: Awaited<ReturnType<typeof runSteps>>['result'] }> {
  cluster = await startCluster(scenarios);
  const { result } = await runSteps(cluster.services, [preflightStep]);
  return { facts: result.outputs['preflight'] as unknown as PreflightFacts, result };
}

function check(facts: PreflightFacts, id: string): PreflightCheck {
  const c = facts.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no check ${id} in ${facts.checks.map((x) => x.id).join(', ')}`);
  return c;
}

describe.skipIf(!hasSim)('preflight against the simulated cluster', () => {
  it('passes every check on the default cluster and reports the facts later steps default from', async () => {
    const { facts, result } = await preflight();
    expect(result.result).toBe('done');
    expect(facts.checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(facts.checks.map((c) => c.id)).toEqual(
      expect.arrayContaining(['connection', 'openshift', 'permissions', 'openshift-ai', 'operator.rhsso', 'operator.3scale', 'storage.bucket', 'storage.rwx', 'gpu', 'domain']),
    );
    expect(facts.isOpenShift).toBe(true);
    expect(facts.user).toBe('developer');
    expect(facts.version).toMatch(/^4\.\d+/);
    expect(facts.domain).toBe(cluster?.sim.domain ?? 'apps.sim.maas.example');
    expect(facts.bucketClass).toBe('ocs-storagecluster-ceph-rgw');
    expect(facts.rwxClass).toBe('ocs-storagecluster-cephfs');
    expect(facts.gpu).toMatchObject({ product: 'NVIDIA-A10G', nodes: 2 });
    expect(facts.gpu?.count).toBeGreaterThan(0);
    expect(facts.gpu?.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(facts.operators.rhsso).toMatchObject({ package: 'rhsso-operator', channel: 'stable', source: 'redhat-operators' });
    expect(facts.operators.threescale).toMatchObject({ package: '3scale-operator', channel: 'threescale-2.16', source: 'redhat-operators' });
    expect(facts.operators.threescale?.channels).toEqual(expect.arrayContaining(['threescale-2.15', 'threescale-2.16']));
    expect(facts.kserve).toBe('Managed');
  });

  it('no-rwx-class: warns and offers S3 file storage for 3scale (C9)', async () => {
    const { facts, result } = await preflight(['no-rwx-class']);
    expect(result.result).toBe('done');
    const rwx = check(facts, 'storage.rwx');
    expect(rwx.status).toBe('warn');
    expect(rwx.fix).toMatch(/S3 file storage/);
    expect(facts.rwxClass).toBeUndefined();
    expect(check(facts, 'storage.bucket').status).toBe('pass');
  });

  it('no-rgw-class: warns and offers NooBaa or existing S3 (C2)', async () => {
    const { facts } = await preflight(['no-rgw-class']);
    const bucket = check(facts, 'storage.bucket');
    expect(bucket.status).toBe('warn');
    expect(bucket.message).toContain('openshift-storage.ceph.rook.io/bucket');
    expect(bucket.fix).toMatch(/NooBaa class openshift-storage\.noobaa\.io/);
    expect(bucket.fix).toMatch(/existing S3/);
    expect(facts.bucketClass).toBe('openshift-storage.noobaa.io');
  });

  it('missing-3scale-operator: fails that check only, naming the catalog, and blocks the 3scale stages', async () => {
    const { facts, result } = await preflight(['missing-3scale-operator']);
    expect(result.result).toBe('done');
    const op = check(facts, 'operator.3scale');
    expect(op.status).toBe('fail');
    expect(op.message).toContain('3scale-operator');
    expect(op.message).toContain('redhat-operators');
    expect(op.fix).toBeTruthy();
    expect(op.blocks).toContain('3scale');
    expect(facts.operators.threescale).toBeUndefined();
    expect(check(facts, 'operator.rhsso').status).toBe('pass');
    const ctx = { outputs: (id: string) => (id === 'preflight' ? facts : undefined) } as never;
    expect(() => assertNotBlocked(ctx, '3scale')).toThrow(/3scale-operator/);
    expect(() => assertNotBlocked(ctx, 'project')).not.toThrow();
  });

  it('rbac-denied: lists every missing permission at once', async () => {
    const { facts, result } = await preflight(['rbac-denied']);
    expect(result.result).toBe('done');
    const perms = check(facts, 'permissions');
    expect(perms.status).toBe('fail');
    expect(perms.message).toMatch(/lacks \d+ permission/);
    expect(perms.message).toContain('create secrets in llm-hosting');
    expect(perms.fix).toMatch(/cluster admin/);
    expect(perms.blocks).toContain('data-connection');
  });

  it('expired-token: one sentence with `oc login`, and the run stops', async () => {
    const { result } = await preflight(['expired-token']);
    expect(result.result).toBe('failed');
    const err = userErrorOf(result.error);
    expect(err?.code).toBe('auth.unauthorized');
    const shown = serializeError(result.error);
    expect(shown.message).toMatch(/^the cluster refused the token for user \S+ \(401 Unauthorized\): it has probably expired; run `oc login http:\/\/127\.0\.0\.1:\d+` again$/);
    expect(shown.message).not.toContain('\n');
  });
});
