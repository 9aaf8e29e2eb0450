/**
 * `threescale.databases` with existing servers (mode `existing`): the Secrets the operator reads,
 * passwords from secret inputs only; and the APIManager's Preflights refusal explained when the
 * URLs point at nothing (3scale 2.16).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, KubeObject } from '../../../src/engine/types.js';
import { planOf, run, startThreescaleCluster, stateOf } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const PASSWORD = 'db-pass-7f3a9c';

function existing(host: string): Record<string, unknown> {
  return {
    mode: 'existing',
    backendRedisStorageUrl: `redis://${host}:6379/0`,
    backendRedisQueuesUrl: `redis://${host}:6379/1`,
    systemRedisUrl: `redis://${host}:6379/2`,
    systemDatabaseUrl: `postgresql://${host}:5432/system`,
    databaseUser: 'threescale',
  };
}

async function decoded(c: ThreescaleCluster, name: string, key: string): Promise<string> {
  const s = await c.services.kube.get<KubeObject & { data: Record<string, string> }>('v1', 'Secret', name, '3scale');
  return Buffer.from(s?.data[key] ?? '', 'base64').toString();
}

describe('threescale.databases with existing servers', () => {
  it('writes the operator Secrets with the password from the secret input, never in the plan', async () => {
    cluster = await startThreescaleCluster();
    // A Service the URLs can point at (a Redis/PostgreSQL run by someone else in the namespace).
    await run(cluster.services, { only: ['threescale.operator'] });
    await cluster.services.kube.create({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'shared-db', namespace: '3scale' }, spec: { ports: [{ port: 5432 }] } });
    const { events } = await run(cluster.services, {
      only: ['threescale.apimanager'],
      answers: { 'threescale.databases': existing('shared-db.3scale.svc.cluster.local') },
      secrets: { 'threescale.databases': { databasePassword: PASSWORD } },
    });
    expect(stateOf(events, 'threescale.apimanager')).toEqual({ state: 'done' });
    expect(await decoded(cluster, 'system-database', 'URL')).toBe(`postgresql://threescale:${PASSWORD}@shared-db.3scale.svc.cluster.local:5432/system`);
    expect(await decoded(cluster, 'system-database', 'DB_PASSWORD')).toBe(PASSWORD);
    expect(await decoded(cluster, 'backend-redis', 'REDIS_QUEUES_URL')).toBe('redis://shared-db.3scale.svc.cluster.local:6379/1');
    expect(JSON.stringify(planOf(events, 'threescale.databases'))).not.toContain(PASSWORD);
    expect(await cluster.services.kube.get('apps/v1', 'Deployment', 'maas-redis', '3scale')).toBeUndefined();
  });

  it('names the missing URL input', async () => {
    cluster = await startThreescaleCluster();
    const { events } = await run(cluster.services, { only: ['threescale.databases'], answers: { 'threescale.databases': { mode: 'existing' } } });
    expect(stateOf(events, 'threescale.databases').error).toMatch(/backendRedisStorageUrl/);
  });

  it('explains the 2.16 Preflights refusal when the URLs point at no Service', async () => {
    cluster = await startThreescaleCluster();
    const { events } = await run(cluster.services, { only: ['threescale.apimanager'], answers: { 'threescale.databases': existing('nowhere.3scale.svc.cluster.local') }, secrets: { 'threescale.databases': { databasePassword: PASSWORD } } });
    const st = stateOf(events, 'threescale.apimanager');
    expect(st.state).toBe('failed');
    expect(st.error).toMatch(/Preflights/);
    expect(st.error).toMatch(/nowhere/);
    const d = events.find((e): e is Extract<EngineEvent, { type: 'diagnosis' }> => e.type === 'diagnosis' && e.step === 'threescale.apimanager')?.diagnosis;
    expect(d?.fix).toMatch(/threescale\.databases/);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });
});
