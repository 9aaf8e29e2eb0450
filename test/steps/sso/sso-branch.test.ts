import { afterEach, describe, expect, it } from 'vitest';
import { readClientSecret, readDiscovery } from '../../../src/cluster/keycloak.js';
import type { KubeObject } from '../../../src/engine/types.js';
import type { SsoKeycloakOutputs } from '../../../steps/sso/index.js';
import { planOf, run, startSsoCluster, storedRealm, writeRequests } from './helpers.js';
import type { SsoCluster } from './helpers.js';

let cluster: SsoCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

function kcTarget(out: SsoKeycloakOutputs): { url: string; credentialSecret: { namespace: string; name: string } } {
  return { url: out.url, credentialSecret: { namespace: out.namespace, name: out.credentialSecret } };
}

describe('SSO stage against the simulated cluster', () => {
  it('completes from nothing: operator, Keycloak, realm, client 3scale with its mappers; the secret stays out of outputs and events', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const { result, events } = await run(c.services);
    expect(result.firstError).toBeUndefined();
    expect(result.result).toBe('done');
    const { kube } = c.services;

    const og = await kube.get<KubeObject & { spec?: { targetNamespaces?: string[] } }>('operators.coreos.com/v1', 'OperatorGroup', 'rh-sso', 'rh-sso');
    expect(og?.spec?.targetNamespaces).toEqual(['rh-sso']);
    const sub = await kube.get<KubeObject & { spec?: Record<string, unknown> }>('operators.coreos.com/v1alpha1', 'Subscription', 'rhsso-operator', 'rh-sso');
    expect(sub?.spec).toMatchObject({ name: 'rhsso-operator', channel: 'stable', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' });
    expect(result.outputs['sso.operator']).toMatchObject({ namespace: 'rh-sso', csv: 'rhsso-operator.7.6.11-opr-003' });

    const kcCr = await kube.get<KubeObject & { spec?: Record<string, unknown> }>('keycloak.org/v1alpha1', 'Keycloak', 'rh-sso', 'rh-sso');
    expect(kcCr?.metadata.labels).toMatchObject({ app: 'rh-sso' });
    expect(kcCr?.spec).toEqual({ externalAccess: { enabled: true }, instances: 1 });
    const realmCr = await kube.get<KubeObject & { spec?: Record<string, unknown> }>('keycloak.org/v1alpha1', 'KeycloakRealm', 'maas', 'rh-sso');
    expect(realmCr?.spec).toEqual({ instanceSelector: { matchLabels: { app: 'rh-sso' } }, realm: { id: 'maas', realm: 'maas', displayName: 'MaaS on RHOAI', enabled: true } });

    const kc = result.outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
    expect(kc).toMatchObject({ url: `https://keycloak-rh-sso.${c.sim.domain}`, credentialSecret: 'credential-rh-sso', realm: 'maas', issuer: `https://keycloak-rh-sso.${c.sim.domain}/auth/realms/maas` });
    expect((await readDiscovery(c.services, kc.url, 'maas')).issuer).toMatch(new RegExp(`//keycloak-rh-sso\\.${c.sim.domain.replace(/\./g, '\\.')}/auth/realms/maas$`));

    const realm = storedRealm(c);
    const clients = realm?.clients.filter((x) => x.clientId === '3scale') ?? [];
    expect(clients).toHaveLength(1);
    const client = clients[0];
    expect(client).toMatchObject({ protocol: 'openid-connect', publicClient: false, standardFlowEnabled: true, implicitFlowEnabled: false, directAccessGrantsEnabled: false, serviceAccountsEnabled: false, redirectUris: [`https://maas.${c.sim.domain}/*`] });
    expect(client?.protocolMappers.map((m) => m.name).sort()).toEqual(['email verified', 'org_name']);
    expect(client?.protocolMappers.find((m) => m.name === 'org_name')).toMatchObject({
      protocolMapper: 'oidc-usermodel-attribute-mapper',
      config: { 'user.attribute': 'email', 'claim.name': 'org_name', 'jsonType.label': 'String', 'id.token.claim': 'true', 'access.token.claim': 'true', 'userinfo.token.claim': 'true' },
    });
    expect(client?.protocolMappers.find((m) => m.name === 'email verified')).toMatchObject({
      protocolMapper: 'oidc-usermodel-property-mapper',
      config: { 'user.attribute': 'emailVerified', 'claim.name': 'email_verified', 'jsonType.label': 'boolean' },
    });
    expect(planOf(events, 'sso.client').map((x) => x.call?.path.replace(/^.*\/clients/, '…/clients'))).toEqual([
      '…/clients', '…/clients/<id of client 3scale>/protocol-mappers/add-models', '…/clients/<id of client 3scale>/protocol-mappers/models',
    ]);

    // Later steps read the secret when they need it; it never appears in outputs or events.
    const secret = await readClientSecret(c.services, { ...kcTarget(kc), realm: 'maas', clientId: '3scale' });
    expect(secret).toBe(realm?.secrets[client?.id ?? '']);
    expect(JSON.stringify(events)).not.toContain(secret);
    expect(JSON.stringify(result.outputs)).not.toContain(secret);
  });

  it('a second run plans nothing and makes no write request', async () => {
    cluster = await startSsoCluster();
    const first = await run(cluster.services);
    expect(first.result.result).toBe('done');
    const mark = cluster.sim.requestLog.entries().length;
    const second = await run(cluster.services);
    expect(second.result.result).toBe('done');
    for (const step of ['sso.operator', 'sso.keycloak', 'sso.client', 'sso.identity-provider']) {
      expect(planOf(second.events, step).every((ch) => ch.action === 'none'), step).toBe(true);
    }
    expect(writeRequests(cluster.sim, mark)).toEqual([]);
    // It did read Keycloak (the plan is read-then-write), so the check above is not vacuous.
    expect(cluster.sim.requestLog.entries().slice(mark).some((e) => e.service === 'keycloak' && e.method === 'GET')).toBe(true);
  });

  it('fails clearly, before any write, when the catalog has no rhsso-operator', async () => {
    cluster = await startSsoCluster({ scenarios: ['missing-rhsso-operator'] });
    const mark = cluster.sim.requestLog.entries().length;
    const { result } = await run(cluster.services);
    expect(result.result).toBe('failed');
    expect(result.states['sso.operator']).toBe('failed');
    expect(result.states['sso.keycloak']).toBe('pending');
    expect(result.firstError?.message).toMatch(/rhsso-operator .*not in the catalog redhat-operators/);
    expect(result.firstError?.fix).toMatch(/CatalogSource/);
    expect(writeRequests(cluster.sim, mark)).toEqual([]);
  });

  it('waits for a Keycloak slow to start, showing its phase, then goes on', async () => {
    // Realistic timing, sped up: the simulated ten minutes of `keycloak-slow-start` pass in about a second.
    cluster = await startSsoCluster({ scenarios: ['keycloak-slow-start'], timing: 'realistic', speed: 600 });
    const { result, events } = await run(cluster.services);
    expect(result.firstError).toBeUndefined();
    expect(result.result).toBe('done');
    const waits = events.filter((e): e is Extract<typeof e, { type: 'wait' }> => e.type === 'wait' && e.step === 'sso.keycloak');
    expect(waits.some((w) => /Keycloak rh-sso\/rh-sso to be ready/.test(w.what) && /phase initialising/.test(w.currently))).toBe(true);
  });
});
