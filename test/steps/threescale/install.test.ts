/**
 * The 3scale install through the engine against the simulated cluster: 2.16 with databases the
 * wizard creates, 2.15 with the operator's internal ones, portal URLs from Routes found by host.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/types.js';
import { outputsOf, planOf, run, startThreescaleCluster, stateOf } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const ONLY = ['threescale.apimanager'];

describe('3scale install', () => {
  it('installs 3scale 2.16 with Redis and PostgreSQL it creates, and finds the portals by Route host', async () => {
    cluster = await startThreescaleCluster();
    const { result, events } = await run(cluster.services, { only: ONLY });
    expect(stateOf(events, 'threescale.apimanager')).toEqual({ state: 'done' });
    expect(result.result).toBe('done');
    const { kube } = cluster.services;

    const sub = await kube.get<KubeObject & { spec: { channel: string } }>('operators.coreos.com/v1alpha1', 'Subscription', '3scale-operator', '3scale');
    expect(sub?.spec.channel).toBe('threescale-2.16');
    const group = await kube.get<KubeObject & { spec: { targetNamespaces: string[] } }>('operators.coreos.com/v1', 'OperatorGroup', '3scale', '3scale');
    expect(group?.spec.targetNamespaces).toEqual(['3scale']);

    const secret = await kube.get<KubeObject & { data: Record<string, string> }>('v1', 'Secret', 'system-database', '3scale');
    const url = Buffer.from(secret?.data['URL'] ?? '', 'base64').toString();
    expect(url).toMatch(/^postgresql:\/\/system:[^@]+@maas-postgresql\.3scale\.svc\.cluster\.local:5432\/system$/);
    for (const name of ['backend-redis', 'system-redis']) expect(await kube.get('v1', 'Secret', name, '3scale')).toBeDefined();
    expect(await kube.get('apps/v1', 'Deployment', 'maas-redis', '3scale')).toBeDefined();

    // Passwords never appear in a plan.
    const dbPlan = JSON.stringify(planOf(events, 'threescale.databases'));
    const password = decodeURIComponent(new URL(url).password);
    expect(password.length).toBeGreaterThan(10);
    expect(dbPlan).not.toContain(password);

    const am = await kube.get<KubeObject & { spec: Record<string, unknown> }>('apps.3scale.net/v1alpha1', 'APIManager', 'apimanager', '3scale');
    expect(am?.spec).toMatchObject({
      wildcardDomain: cluster.sim.domain,
      tenantName: 'maas',
      resourceRequirementsEnabled: false,
      system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'ocs-storagecluster-cephfs' } } },
      externalComponents: { backend: { redis: true }, system: { redis: true, database: true } },
    });
    const out = outputsOf(events, 'threescale.apimanager');
    expect(out).toMatchObject({ adminUrl: `https://maas-admin.${cluster.sim.domain}`, developerUrl: `https://maas.${cluster.sim.domain}`, credentialsSecret: 'system-seed' });
    // The Routes carry generated names (zync): they were found by host.
    const routes = await kube.list<KubeObject & { spec: { host: string } }>('route.openshift.io/v1', 'Route', '3scale');
    const admin = routes.find((r) => r.spec.host === `maas-admin.${cluster?.sim.domain ?? ''}`);
    expect(admin?.metadata.name).toMatch(/^zync-3scale-provider-/);
    // No token in the outputs or any event.
    const token = Buffer.from((await kube.get<KubeObject & { data: Record<string, string> }>('v1', 'Secret', 'system-seed', '3scale'))?.data['ADMIN_ACCESS_TOKEN'] ?? '', 'base64').toString();
    expect(token.length).toBeGreaterThan(5);
    expect(JSON.stringify(events)).not.toContain(token);
  });

  it('installs 3scale 2.15 with the operator\'s internal databases: the databases step plans nothing', async () => {
    cluster = await startThreescaleCluster();
    const { events } = await run(cluster.services, { only: ONLY, answers: { 'threescale.operator': { channel: 'threescale-2.15' } } });
    expect(stateOf(events, 'threescale.apimanager')).toEqual({ state: 'done' });
    expect(planOf(events, 'threescale.databases')).toEqual([]);
    expect(outputsOf(events, 'threescale.databases')).toMatchObject({ external: false, mode: 'internal' });
    const { kube } = cluster.services;
    const am = await kube.get<KubeObject & { spec: Record<string, unknown>; status: { deployments: { ready: string[] } } }>('apps.3scale.net/v1alpha1', 'APIManager', 'apimanager', '3scale');
    expect(am?.spec['externalComponents']).toBeUndefined();
    expect(am?.status.deployments.ready).toContain('system-mysql');
    expect(await kube.get('v1', 'Secret', 'system-database', '3scale')).toBeUndefined();
  });

  it('a second run plans no change', async () => {
    cluster = await startThreescaleCluster();
    await run(cluster.services, { only: ONLY });
    const writes = cluster.sim.faults.writeCount();
    const { events } = await run(cluster.services, { only: ONLY });
    for (const step of ['threescale.operator', 'threescale.databases', 'threescale.apimanager']) {
      expect(planOf(events, step).filter((c) => c.action !== 'none'), step).toEqual([]);
    }
    expect(cluster.sim.faults.writeCount() - writes).toBe(0);
  });
});
