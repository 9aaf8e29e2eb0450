/**
 * The canonical state dump (src/sim/state-dump.ts): two simulated states built the same way in a
 * different order, with different uids, times and generated names, dump equal; a changed field,
 * an extra record or a duplicate shows; secret values never appear in the dump.
 */
import { describe, expect, it } from 'vitest';
import { createKindRegistry } from '../../src/sim/kinds.js';
import { createKeycloak } from '../../src/sim/keycloak/index.js';
import { createServiceRegistry } from '../../src/sim/kube/services.js';
import { createObjectStore } from '../../src/sim/store.js';
import { dumpState } from '../../src/sim/state-dump.js';
import { diffDumps, duplicatesIn } from './compare.js';
import type { StateDump } from '../../src/sim/state-dump.js';
import { createThreescale } from '../../src/sim/threescale/index.js';
import { createService } from '../../src/sim/threescale/model.js';
import type { KubeObject } from '../../src/engine/types.js';

const SECRET_VALUE = 'sup3r-secret-password-value';

/** A small world: namespace, Secret, generated InstallPlan, Route; a Keycloak realm with a client; a 3scale tenant with one product. */
async function world(options: { order?: 'forward' | 'reverse'; extraProduct?: string; label?: string; clock?: number } = {}): Promise<StateDump> {
  const kinds = createKindRegistry();
  const store = createObjectStore(kinds);
  const objects: [string, KubeObject][] = [
    ['Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'llm-hosting', labels: { team: options.label ?? 'a' } } }],
    ['Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'llm-hosting' }, data: { PASSWORD: Buffer.from(SECRET_VALUE).toString('base64'), BUCKET: Buffer.from('models').toString('base64') } }],
    ['InstallPlan', { apiVersion: 'operators.coreos.com/v1alpha1', kind: 'InstallPlan', metadata: { name: `install-${options.order === 'reverse' ? 'bq7xz' : 'k9d2m'}`, namespace: 'llm-hosting' }, spec: { approval: 'Automatic', approved: true, clusterServiceVersionNames: ['x'] } }],
  ];
  for (const [kind, o] of options.order === 'reverse' ? [...objects].reverse() : objects) {
    if (kind !== 'Namespace' && !store.get(kinds.byKind('Namespace'), undefined, 'llm-hosting')) store.create(kinds.byKind('Namespace'), objects[0]?.[1] as KubeObject);
    if (!store.get(kinds.byKind(kind), o.metadata.namespace, o.metadata.name ?? '')) store.create(kinds.byKind(kind), o);
  }
  const keycloak = createKeycloak();
  keycloak.ensureRealm('maas');
  const now = options.clock ?? Date.parse('2026-01-01T00:00:00Z');
  const threescale = createThreescale({ domain: 'apps.example', services: createServiceRegistry(), now: () => now });
  threescale.provisionTenant({ tenantName: 'maas', accessToken: 'tok-0123456789abcdef', domain: 'apps.example' });
  const tenant = threescale.state.tenant;
  if (!tenant) throw new Error('no tenant');
  createService(tenant, now, { name: 'Mistral', system_name: 'mistral' });
  if (options.extraProduct) tenant.services.push({ ...structuredClone(tenant.services.at(-1) ?? { id: 0 }), id: 99, system_name: options.extraProduct });
  const dump = await dumpState({ store, kinds, keycloak, threescale });
  await threescale.close();
  return dump;
}

describe('state dump', () => {
  it('equal for the same state built in another order, with other uids, times and generated names', async () => {
    const a = await world();
    const b = await world({ order: 'reverse', clock: Date.parse('2027-06-01T12:00:00Z') });
    expect(diffDumps(a, b)).toEqual([]);
    expect(a).toEqual(b);
    expect(JSON.stringify(a.kubernetes['InstallPlan'])).toContain('install-*');
  });

  it('a changed field shows with its path', async () => {
    const diff = diffDumps(await world(), await world({ label: 'b' }));
    expect(diff).toEqual(['$.kubernetes.Namespace[0].metadata.labels.team: "a" → "b"']);
  });

  it('a duplicate product shows in duplicatesIn and as an extra record', async () => {
    const clean = await world();
    const twice = await world({ extraProduct: 'mistral' });
    expect(duplicatesIn(clean)).toEqual([]);
    expect(duplicatesIn(twice)).toContain('3scale services: "mistral" ×2');
    expect(diffDumps(clean, twice).join('\n')).toMatch(/threescale\.services: \d+ entries → \d+ entries/);
  });

  it('references name what they refer to, not a number', async () => {
    const d = await world();
    const plans = (d.threescale?.['plans'] ?? []) as { service_id?: string; system_name: string }[];
    expect(plans.filter((p) => p.service_id === 'service:mistral').map((p) => p.system_name)).toContain('default');
  });

  it('holds no secret value: Secret passwords, the 3scale access token, Keycloak client secrets', async () => {
    const d = await world();
    const text = JSON.stringify(d);
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain('tok-0123456789abcdef');
    const secret = (d.kubernetes['Secret'] ?? [])[0] as { data: Record<string, string> };
    expect(secret.data).toEqual({ PASSWORD: `<${SECRET_VALUE.length} bytes>`, BUCKET: 'models' });
    const clients = (d.keycloak as { clients: { clientId: string; secret?: string; hasSecret: boolean }[] }[]).flatMap((r) => r.clients);
    expect(clients.length).toBeGreaterThan(0);
    for (const c of clients) expect(c.secret === undefined || c.secret === '<secret>').toBe(true);
  });
});
