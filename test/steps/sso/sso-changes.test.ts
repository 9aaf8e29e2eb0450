import { afterEach, describe, expect, it } from 'vitest';
import { connectKeycloak } from '../../../src/cluster/keycloak.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import type { Change, EngineEvent, KubeObject } from '../../../src/engine/types.js';
import type { SsoKeycloakOutputs } from '../../../steps/sso/index.js';
import { planOf, run, startSsoCluster, storedRealm, writeRequests } from './helpers.js';
import type { SsoCluster } from './helpers.js';

let cluster: SsoCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

async function adminOf(c: SsoCluster, out: SsoKeycloakOutputs): Promise<Awaited<ReturnType<typeof connectKeycloak>>> {
  return connectKeycloak(c.services, { url: out.url, credentialSecret: { namespace: out.namespace, name: out.credentialSecret } });
}

describe('SSO stage: existing objects and 409 answers (C8)', () => {
  it('finds an existing client and mapper by name and updates only what differs', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const first = await run(c.services, { only: ['sso.keycloak'] });
    expect(first.result.result).toBe('done');
    const kc = first.result.outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
    const conn = await adminOf(c, kc);
    // Someone made the client by hand: public, with implicit flow and an org_name mapper of the wrong kind.
    const { id } = await conn.admin.clients.create({ realm: 'maas', clientId: '3scale', publicClient: true, implicitFlowEnabled: true, redirectUris: ['*'] });
    await conn.admin.clients.addProtocolMapper({ realm: 'maas', id }, { name: 'org_name', protocol: 'openid-connect', protocolMapper: 'oidc-usermodel-property-mapper', config: { 'user.attribute': 'username', 'claim.name': 'org_name' } });

    const { result, events } = await run(c.services);
    expect(result.firstError).toBeUndefined();
    const plan = planOf(events, 'sso.client');
    expect(plan.map((x) => [x.action, x.target])).toEqual([
      ['update', 'client 3scale in realm maas'],
      ['create', 'protocol mapper "email verified" of client 3scale'],
      ['update', 'protocol mapper "org_name" of client 3scale'],
    ]);
    expect(plan[0]?.diff?.map((d) => d.path).sort()).toEqual(['implicitFlowEnabled', 'publicClient', 'redirectUris']);
    expect(plan[2]?.call?.method).toBe('PUT');
    const stored = storedRealm(c)?.clients.find((x) => x.clientId === '3scale');
    expect(stored?.id).toBe(id);
    expect(stored).toMatchObject({ publicClient: false, implicitFlowEnabled: false, redirectUris: [`https://maas.${c.sim.domain}/*`] });
    expect(stored?.protocolMappers.filter((m) => m.name === 'org_name')).toHaveLength(1);
    expect(stored?.protocolMappers.find((m) => m.name === 'org_name')).toMatchObject({ protocolMapper: 'oidc-usermodel-attribute-mapper', config: { 'user.attribute': 'email' } });
  });

  it('a client and mappers created between plan and apply (409) are adopted and updated, never duplicated', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const first = await run(c.services, { only: ['sso.keycloak'] });
    const kc = first.result.outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
    const conn = await adminOf(c, kc);
    // Someone else creates the same objects after the client plan was confirmed (and planned
    // again by the engine), just before it is applied: the step's apply meets 409s.
    const race = async (): Promise<void> => {
      const { id } = await conn.admin.clients.create({ realm: 'maas', clientId: '3scale', redirectUris: ['https://other.example/*'] });
      await conn.admin.clients.addMultipleProtocolMappers({ realm: 'maas', id }, [
        { name: 'email verified', protocol: 'openid-connect', protocolMapper: 'oidc-usermodel-property-mapper', config: { 'user.attribute': 'emailVerified', 'claim.name': 'email_verified', 'jsonType.label': 'boolean' } },
      ]);
    };
    const { Engine } = await import('../../../src/engine/run.js');
    const { steps } = await import('./helpers.js');
    const racing = steps().map((s) => (s.id !== 'sso.client' ? s : { ...s, apply: async (ctx: Parameters<typeof s.apply>[0], plan: Change[]) => { await race(); await s.apply(ctx, plan); } }));
    const engine = new Engine({ steps: racing, services: c.services, host: new ScriptedHost({}, { interactive: true }), answers: {}, env: {} });
    const events: EngineEvent[] = [];
    engine.on((e) => events.push(e));
    const result = await engine.run();
    expect(result.firstError).toBeUndefined();
    expect(result.result).toBe('done');
    expect(planOf(events, 'sso.client').map((x) => x.action)).toEqual(['create', 'create', 'create']);
    const logs = events.filter((e): e is Extract<EngineEvent, { type: 'log' }> => e.type === 'log' && e.step === 'sso.client').map((e) => e.message);
    expect(logs.some((m) => /client 3scale already existed \(409\)/.test(m))).toBe(true);
    expect(logs.some((m) => /exists \(409\): updated by name/.test(m))).toBe(true);
    const clients = storedRealm(c)?.clients.filter((x) => x.clientId === '3scale') ?? [];
    expect(clients).toHaveLength(1);
    expect(clients[0]?.redirectUris).toEqual([`https://maas.${c.sim.domain}/*`]);
    expect(clients[0]?.protocolMappers.map((m) => m.name).sort()).toEqual(['email verified', 'org_name']);
    expect(clients[0]?.protocolMappers.find((m) => m.name === 'email verified')?.config).toMatchObject({ 'id.token.claim': 'true', 'userinfo.token.claim': 'true' });
  });
});

describe('SSO stage: wrong admin password', () => {
  it('stops with a clear error naming the Secret, records nothing as done and writes nothing to Keycloak', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const first = await run(c.services, { only: ['sso.keycloak'] });
    expect(first.result.result).toBe('done');
    await c.services.kube.mergePatch({ apiVersion: 'v1', kind: 'Secret', name: 'credential-rh-sso', namespace: 'rh-sso' }, { data: { ADMIN_PASSWORD: Buffer.from('not-the-password').toString('base64') } });
    const mark = c.sim.requestLog.entries().length;
    const { result, events } = await run(c.services);
    expect(result.result).toBe('failed');
    // sso.keycloak reads the realm through the admin API (C7), so it is the first to meet the refusal.
    expect(result.states['sso.keycloak']).toBe('failed');
    expect(result.states['sso.client']).toBe('pending');
    expect(result.states['sso.identity-provider']).toBe('pending');
    const err = events.find((e): e is Extract<EngineEvent, { type: 'state' }> => e.type === 'state' && e.step === 'sso.keycloak' && e.state === 'failed')?.error;
    expect(err?.code).toBe('keycloak.auth');
    expect(err?.message).toMatch(/refused the admin credentials from Secret rh-sso\/credential-rh-sso \(401 invalid_grant/);
    expect(err?.fix).toMatch(/oc get secret credential-rh-sso -n rh-sso/);
    const diagnosis = events.find((e): e is Extract<EngineEvent, { type: 'diagnosis' }> => e.type === 'diagnosis' && e.step === 'sso.keycloak')?.diagnosis;
    expect(diagnosis?.summary).toMatch(/credential Secret: the Secret was probably edited/);
    expect(diagnosis?.fix).toMatch(/Secret credential-rh-sso \(namespace rh-sso\)/);
    expect(JSON.stringify(events)).not.toContain('not-the-password');
    expect(events.some((e) => e.type === 'outputs' && e.step.startsWith('sso.') && e.step !== 'sso.operator')).toBe(false);
    expect(writeRequests(c.sim, mark).filter((w) => w.service === 'keycloak')).toEqual([]);
    expect(storedRealm(c)?.clients.some((x) => x.clientId === '3scale')).toBe(false);
  });
});

describe('SSO stage: changed inputs update exactly that', () => {
  it('a changed redirect URI is one PUT of the client with that field', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    expect((await run(c.services)).result.result).toBe('done');
    const mark = c.sim.requestLog.entries().length;
    const portal = `https://portal.${c.sim.domain}/*`;
    const { result, events } = await run(c.services, { answers: { 'sso.client': { redirectUris: portal } } });
    expect(result.result).toBe('done');
    const plan = planOf(events, 'sso.client');
    expect(plan.filter((x) => x.action !== 'none')).toEqual([
      expect.objectContaining({ action: 'update', diff: [{ path: 'redirectUris', from: [`https://maas.${c.sim.domain}/*`], to: [portal] }], call: expect.objectContaining({ method: 'PUT', body: { clientId: '3scale', redirectUris: [portal] } }) }),
    ]);
    const writes = writeRequests(c.sim, mark);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({ service: 'keycloak', method: 'PUT', status: 204 });
    expect(writes[0]?.path).toMatch(/^\/auth\/admin\/realms\/maas\/clients\/[0-9a-f-]{36}$/);
    expect(storedRealm(c)?.clients.find((x) => x.clientId === '3scale')?.redirectUris).toEqual([portal]);
  });

  it('refuses a redirect URI that is not a URL as bad input (exit 2)', async () => {
    cluster = await startSsoCluster();
    const { result } = await run(cluster.services, { answers: { 'sso.client': { redirectUris: 'javascript:alert(1)' } } });
    expect(result.result).toBe('failed');
    expect(result.exitCode).toBe(2);
    expect(result.firstError?.message).toMatch(/sso\.client\.redirectUris: .*https:\/\/ URLs/);
  });

  it('a changed realm display name leaves the KeycloakRealm CR alone and goes through the admin API (C7)', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    expect((await run(c.services)).result.result).toBe('done');
    const before = await c.services.kube.get('keycloak.org/v1alpha1', 'KeycloakRealm', 'maas', 'rh-sso');
    const mark = c.sim.requestLog.entries().length;
    const { result, events } = await run(c.services, { answers: { 'sso.keycloak': { realmDisplayName: 'Models as a Service' } } });
    expect(result.firstError).toBeUndefined();
    const plan = planOf(events, 'sso.keycloak');
    expect(plan.find((x) => x.target === 'KeycloakRealm rh-sso/maas')).toMatchObject({ action: 'none', note: expect.stringMatching(/never updated.*C7/) });
    expect(plan.find((x) => x.target === 'realm maas')).toMatchObject({ action: 'update', diff: [{ path: 'displayName', from: 'MaaS on RHOAI', to: 'Models as a Service' }] });
    expect(writeRequests(c.sim, mark)).toEqual([{ service: 'keycloak', method: 'PUT', path: '/auth/admin/realms/maas', status: 204 }]);
    const after = await c.services.kube.get('keycloak.org/v1alpha1', 'KeycloakRealm', 'maas', 'rh-sso');
    expect(after?.metadata['resourceVersion']).toBe(before?.metadata['resourceVersion']);
    expect(storedRealm(c)?.rep['displayName']).toBe('Models as a Service');
  });
});

describe('SSO operator: an existing OperatorGroup', () => {
  it('one that watches all namespaces is narrowed to rh-sso (the operator supports only OwnNamespace/SingleNamespace)', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    await c.services.kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rh-sso' } });
    await c.services.kube.create({ apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: 'global', namespace: 'rh-sso' }, spec: {} });
    const { result, events } = await run(c.services, { only: ['sso.operator'] });
    expect(result.firstError).toBeUndefined();
    const plan = planOf(events, 'sso.operator');
    expect(plan.map((x) => [x.action, x.target])).toEqual([
      ['none', 'Namespace rh-sso'],
      ['update', 'OperatorGroup rh-sso/global'],
      ['create', 'Subscription rh-sso/rhsso-operator'],
    ]);
    const og = await c.services.kube.get<KubeObject & { spec?: { targetNamespaces?: string[] } }>('operators.coreos.com/v1', 'OperatorGroup', 'global', 'rh-sso');
    expect(og?.spec?.targetNamespaces).toEqual(['rh-sso']);
    expect(result.outputs['sso.operator']).toMatchObject({ csv: 'rhsso-operator.7.6.11-opr-003' });
  });
});
