import { afterEach, describe, expect, it } from 'vitest';
import { install, makeEnv, secretKey, statusOf, conditionOf } from './env.js';
import type { TestEnv } from './env.js';
import { fakeThreescale } from './fakes.js';
import { b64 } from '../../../src/sim/operators/objects.js';
import type { StoredObject } from '../../../src/sim/types.js';

let env: TestEnv;
afterEach(() => env.stop());

const NS = '3scale';
const D = 'apps.sim.maas.example';

function apimanager(env: TestEnv, spec: Record<string, unknown> = {}): void {
  env.o.ensure('APIManager', { metadata: { name: 'apimanager', namespace: NS }, spec: { wildcardDomain: D, tenantName: 'maas', resourceRequirementsEnabled: false, system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'ocs-storagecluster-cephfs' } } }, ...spec } });
}

function externalDatabases(env: TestEnv): void {
  for (const svc of ['backend-redis-svc', 'system-redis-svc', 'postgresql']) {
    env.o.ensure('Service', { metadata: { name: svc, namespace: NS }, spec: { ports: [{ port: 6379, targetPort: 6379 }], selector: { app: svc } } });
  }
  env.o.ensure('Secret', { metadata: { name: 'backend-redis', namespace: NS }, data: { REDIS_STORAGE_URL: b64('redis://backend-redis-svc:6379/0'), REDIS_QUEUES_URL: b64('redis://backend-redis-svc:6379/1') } });
  env.o.ensure('Secret', { metadata: { name: 'system-redis', namespace: NS }, data: { URL: b64('redis://system-redis-svc.3scale.svc.cluster.local:6379/1') } });
  env.o.ensure('Secret', { metadata: { name: 'system-database', namespace: NS }, data: { URL: b64('postgresql://user:pw@postgresql:5432/system'), DB_USER: b64('user'), DB_PASSWORD: b64('pw') } });
}

const EXTERNAL = { externalComponents: { backend: { redis: true }, system: { redis: true, database: true } } };
const hosts = (env: TestEnv): string[] => env.o.list('Route', NS).map((r) => String((r['spec'] as { host: string }).host)).sort();
const available = (a: StoredObject): boolean => conditionOf(a, 'Available')?.status === 'True';

describe('simulated 3scale operator', () => {
  it('2.15 with internal databases: 15 Deployments, system-seed, zync Routes by host, Available', async () => {
    const ts = fakeThreescale();
    env = makeEnv({ backends: { threescale: ts } });
    await install(env, '3scale-operator', NS, 'threescale-2.15');
    apimanager(env);
    const am = await env.waitFor('APIManager', NS, 'apimanager', available);
    expect(conditionOf(am, 'Preflights')).toMatchObject({ status: 'True', reason: 'PreflightsPass', message: 'All requirements for the current version are met' });
    const ready = (statusOf(am)['deployments'] as { ready: string[] }).ready;
    expect(ready).toHaveLength(15);
    expect(ready).toContain('system-mysql');
    expect(env.o.list('Deployment', NS).filter((d) => d.metadata.labels?.['app'] === '3scale-api-management')).toHaveLength(15);
    expect(hosts(env)).toEqual([`api-maas-apicast-production.${D}`, `api-maas-apicast-staging.${D}`, `backend-maas.${D}`, `maas-admin.${D}`, `maas.${D}`, `master.${D}`]);
    const admin = env.o.list('Route', NS).find((r) => (r['spec'] as { host: string }).host === `maas-admin.${D}`);
    expect(admin?.metadata.name).toMatch(/^zync-3scale-provider-[a-z0-9]{5}$/);
    const seed = env.o.get('Secret', NS, 'system-seed');
    const token = secretKey(seed, 'ADMIN_ACCESS_TOKEN');
    expect(token?.length).toBeGreaterThan(10);
    expect(secretKey(seed, 'TENANT_NAME')).toBe('maas');
    for (const k of ['ADMIN_USER', 'ADMIN_PASSWORD', 'MASTER_ACCESS_TOKEN', 'MASTER_USER', 'MASTER_PASSWORD']) expect(secretKey(seed, k)).toBeTruthy();
    expect(ts.tenants).toEqual([{ tenantName: 'maas', accessToken: token, domain: D }]);
    for (const h of hosts(env)) expect(env.ingress.get(h)).toBe(ts.handler);
    expect(statusOf(env.o.get('PersistentVolumeClaim', NS, 'system-storage'))['phase']).toBe('Bound');
  });

  it('2.16 refuses internal databases in Preflights and deploys nothing', async () => {
    env = makeEnv();
    await install(env, '3scale-operator', NS, 'threescale-2.16');
    apimanager(env);
    const am = await env.waitFor('APIManager', NS, 'apimanager', (a) => conditionOf(a, 'Preflights')?.status === 'False');
    expect(conditionOf(am, 'Preflights')?.message).toMatch(/^Preflights failed - .*backend redis, system redis, system database - re-running preflights in 10 minutes$/);
    expect(available(am)).toBe(false);
    await env.clock.settled();
    expect(env.o.list('Deployment', NS).map((d) => d.metadata.name)).toEqual(['threescale-operator-controller-manager-v2']);
  });

  it('2.16 with external databases whose URL points at a missing Service is refused; adding the Service passes, 12 Deployments', async () => {
    env = makeEnv();
    await install(env, '3scale-operator', NS);
    externalDatabases(env);
    env.o.remove('Service', NS, 'postgresql');
    apimanager(env, EXTERNAL);
    const refused = await env.waitFor('APIManager', NS, 'apimanager', (a) => conditionOf(a, 'Preflights')?.status === 'False');
    expect(conditionOf(refused, 'Preflights')?.message).toContain('postgresql');
    env.o.ensure('Service', { metadata: { name: 'postgresql', namespace: NS }, spec: { ports: [{ port: 5432, targetPort: 5432 }], selector: { app: 'pg' } } });
    const am = await env.waitFor('APIManager', NS, 'apimanager', available);
    const ready = (statusOf(am)['deployments'] as { ready: string[] }).ready;
    expect(ready).toHaveLength(12);
    expect(ready).not.toContain('backend-redis');
    expect(ready).not.toContain('system-mysql');
  });

  it('a system storage class that is not ReadWriteMany leaves system-storage Pending and the APIManager never Available (C9)', async () => {
    env = makeEnv();
    await install(env, '3scale-operator', NS, 'threescale-2.15');
    apimanager(env, { system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'gp3-csi' } } } });
    await env.clock.settled();
    const pvc = env.o.get('PersistentVolumeClaim', NS, 'system-storage');
    expect(statusOf(pvc)['phase']).toBe('Pending');
    const events = env.o.list('Event', NS).filter((e) => (e['involvedObject'] as { name: string }).name === 'system-storage');
    expect(events.map((e) => e['reason'])).toEqual(['ProvisioningFailed']);
    const am = env.o.get('APIManager', NS, 'apimanager');
    expect(available(am as StoredObject)).toBe(false);
    expect((statusOf(am)['deployments'] as { starting: string[] }).starting).toContain('system-app');
    expect(hosts(env)).toEqual([`backend-maas.${D}`]);
  });

  it('product gateway Routes follow the products; Available only while the API product routes exist', async () => {
    const ts = fakeThreescale();
    env = makeEnv({ backends: { threescale: ts } });
    await install(env, '3scale-operator', NS, 'threescale-2.15');
    apimanager(env);
    await env.waitFor('APIManager', NS, 'apimanager', available);
    ts.setProducts([{ id: 2, systemName: 'api' }, { id: 7, systemName: 'granite_8b_code' }]);
    await env.clock.settled();
    expect(hosts(env)).toContain(`granite-8b-code-maas-apicast-production.${D}`);
    expect(hosts(env)).toContain(`granite-8b-code-maas-apicast-staging.${D}`);
    expect(env.ingress.get(`granite-8b-code-maas-apicast-production.${D}`)).toBe(ts.handler);
    ts.setProducts([{ id: 7, systemName: 'granite_8b_code' }]);
    const am = await env.waitFor('APIManager', NS, 'apimanager', (a) => conditionOf(a, 'Available')?.status === 'False');
    expect(hosts(env)).not.toContain(`api-maas-apicast-production.${D}`);
    expect(env.ingress.get(`api-maas-apicast-production.${D}`)).toBeUndefined();
    expect(conditionOf(am, 'Available')?.reason).toBeUndefined();
  });

  it('custom policies: a missing watched Secret → MissingWatchedSecrets; Secret + CustomPolicyDefinition → registered', async () => {
    const ts = fakeThreescale();
    env = makeEnv({ backends: { threescale: ts } });
    await install(env, '3scale-operator', NS, 'threescale-2.15');
    const cp = { customPolicies: [{ name: 'remove-bearer', version: '0.1', secretRef: { name: 'cp-bearer' } }] };
    apimanager(env, { apicast: { stagingSpec: cp, productionSpec: cp } });
    const am = await env.waitFor('APIManager', NS, 'apimanager', (a) => conditionOf(a, 'Available')?.reason === 'MissingWatchedSecrets' && (statusOf(a)['deployments'] as { ready: string[] }).ready.length === 15);
    expect(conditionOf(am, 'Available')?.message).toBe('The following secret(s) could not be found: cp-bearer');
    env.o.ensure('Secret', { metadata: { name: 'cp-bearer', namespace: NS, labels: { 'apimanager.apps.3scale.net/watched-by': 'apimanager' } }, data: { 'init.lua': b64('return {}') } });
    await env.waitFor('APIManager', NS, 'apimanager', available);
    expect(ts.policies.at(-1)).toEqual([]);
    env.o.ensure('CustomPolicyDefinition', { metadata: { name: 'remove-bearer', namespace: NS }, spec: { name: 'remove-bearer', version: '0.1', schema: { name: 'Removes Bearer', version: '0.1', summary: 's', $schema: 'http://json-schema.org/draft-07/schema#', configuration: { type: 'object', properties: {} } } } });
    await env.clock.settled();
    expect(ts.policies.at(-1)).toEqual([{ name: 'remove-bearer', version: '0.1' }]);
  });
});
