import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/cluster/kube.js';
import type { Services } from '../../src/cluster/services.js';
import type { KubeObject, StepContext } from '../../src/engine/types.js';
import { checkGpus, checkOpenShiftAi, checkStorage, requiredAccess, tolerationsFor } from '../../steps/preflight-checks.js';
import { projectStep } from '../../steps/project.js';
import { runPreflight } from '../../steps/preflight.js';
import { UserError } from '../../src/engine/errors.js';

/** A KubeClient stand-in answering `list`/`get` from fixed objects by kind (cluster shapes the simulation does not have). */
function stubKube(objects: Record<string, KubeObject[]>, extra: Partial<KubeClient> = {}): KubeClient {
  return {
    list: async (_apiVersion: string, kind: string) => objects[kind] ?? [],
    get: async (_apiVersion: string, kind: string, name: string) => (objects[kind] ?? []).find((o) => o.metadata.name === name),
    ...extra,
  } as unknown as KubeClient;
}

const sc = (name: string, provisioner: string): KubeObject => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner });

describe('preflight checks on cluster shapes the simulation lacks', () => {
  it('fails OpenShift AI when KServe is not Managed, with the oc patch that fixes it', async () => {
    const kube = stubKube({
      DataScienceCluster: [{ apiVersion: 'datasciencecluster.opendatahub.io/v1', kind: 'DataScienceCluster', metadata: { name: 'dsc' }, spec: { components: { kserve: { managementState: 'Removed' } } } }],
    });
    const { check, kserve } = await checkOpenShiftAi(kube);
    expect(kserve).toBe('Removed');
    expect(check.status).toBe('fail');
    expect(check.blocks).toEqual(['serving']);
    expect(check.fix).toContain('oc patch datasciencecluster dsc');
    const none = await checkOpenShiftAi(stubKube({}));
    expect(none.check.message).toMatch(/not installed/);
  });

  it('offers existing S3 when no bucket class exists, and recognises CephFS/NFS as ReadWriteMany', async () => {
    const bare = await checkStorage(stubKube({ StorageClass: [sc('gp3-csi', 'ebs.csi.aws.com')] }));
    expect(bare.bucketClass).toBeUndefined();
    expect(bare.checks.find((c) => c.id === 'storage.bucket')?.fix).toMatch(/existing S3/);
    expect(bare.checks.find((c) => c.id === 'storage.rwx')?.status).toBe('warn');
    const rwx = await checkStorage(stubKube({ StorageClass: [sc('nfs-client', 'k8s-sigs.io/nfs-subdir-external-provisioner'), sc('gp3-csi', 'ebs.csi.aws.com')] }));
    expect(rwx.rwxClass).toBe('nfs-client');
  });

  it('warns when no node has GPUs; proposes tolerations from the GPU nodes\' taints', async () => {
    expect((await checkGpus(stubKube({ Node: [{ apiVersion: 'v1', kind: 'Node', metadata: { name: 'cpu' }, status: { allocatable: { cpu: '8' } } }] }))).check.status).toBe('warn');
    expect(
      tolerationsFor([
        { key: 'nvidia.com/gpu', effect: 'NoSchedule' },
        { key: 'dedicated', value: 'ai', effect: 'NoExecute' },
        { key: 'nvidia.com/gpu', effect: 'NoSchedule' },
      ]),
    ).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'ai', effect: 'NoExecute' },
    ]);
  });

  it('asks for namespaces instead of projectrequests off OpenShift', () => {
    expect(requiredAccess(false)[0]).toMatchObject({ verb: 'create', group: '', resource: 'namespaces' });
    expect(requiredAccess(true)[0]).toMatchObject({ group: 'project.openshift.io', resource: 'projectrequests' });
  });
});

describe('project plan off OpenShift', () => {
  it('plans a plain Namespace with the labels when the cluster is not OpenShift', async () => {
    const kube = stubKube({}, { hasApiGroup: async () => false });
    const ctx = { inputs: { namespace: 'models' }, services: { kube } as unknown as Services, outputs: () => undefined } as unknown as StepContext<{ namespace: string }, Services>;
    const plan = await projectStep.plan(ctx);
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({
      action: 'create',
      manifest: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models', labels: { 'modelmesh-enabled': 'false', 'opendatahub.io/dashboard': 'true' } } },
    });
  });

  it('refuses a namespace that is being deleted', async () => {
    const kube = stubKube({ Namespace: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'models' }, status: { phase: 'Terminating' } }] });
    const ctx = { inputs: { namespace: 'models' }, services: { kube } as unknown as Services, outputs: () => undefined } as unknown as StepContext<{ namespace: string }, Services>;
    await expect(projectStep.plan(ctx)).rejects.toThrow(/Terminating/);
  });
});

describe('runPreflight when a read is refused', () => {
  const services = (failing: (kind: string) => Error | undefined): Services =>
    ({
      cluster: { server: 'https://api.example.test:6443', context: 'x' },
      kube: stubKube(
        { Node: [], StorageClass: [] },
        {
          whoAmI: async () => ({ name: 'developer', groups: [] }),
          hasApiGroup: async () => true,
          selfSubjectAccessReview: async () => true,
          list: async (_v: string, kind: string) => {
            const err = failing(kind);
            if (err) throw err;
            return [];
          },
          get: async (_v: string, kind: string) => {
            const err = failing(kind);
            if (err) throw err;
            return undefined;
          },
        } as Partial<KubeClient>,
      ),
    }) as unknown as Services;

  it('turns a denied read into a failed check and still runs the others', async () => {
    const denied = new UserError('rbac.denied', 'the cluster refused: storageclasses.storage.k8s.io is forbidden', { fix: 'ask a cluster admin' });
    const facts = await runPreflight(services((kind) => (kind === 'StorageClass' ? denied : undefined)));
    const storage = facts.checks.find((c) => c.id === 'storage');
    expect(storage?.status).toBe('warn');
    expect(storage?.message).toContain('storageclasses.storage.k8s.io is forbidden');
    expect(facts.checks.find((c) => c.id === 'permissions')?.status).toBe('pass');
    expect(facts.checks.find((c) => c.id === 'gpu')).toBeDefined();
  });

  it('ends preflight on a refused token instead of failing one check', async () => {
    const expired = new UserError('auth.unauthorized', 'the cluster refused the token');
    await expect(runPreflight(services((kind) => (kind === 'Node' ? expired : undefined)))).rejects.toBe(expired);
  });
});
