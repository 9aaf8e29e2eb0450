/**
 * What the SSO steps send validates against the real contracts (read at run time from
 * ../shared/reference; skipped with a notice when absent): the manifests against the CRD schemas
 * (legacy RH-SSO operator, OLM), and every admin API call's method, path and body members against
 * the Keycloak 18 admin API (the base of RH-SSO 7.6).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { connectKeycloak } from '../../../src/cluster/keycloak.js';
import type { Change, EngineEvent } from '../../../src/engine/types.js';
import type { SsoKeycloakOutputs } from '../../../steps/sso/index.js';
import { run, startSsoCluster } from './helpers.js';
import { REFERENCE_DIR, crdSchema, hasReference } from '../../support/reference.js';
import type { SsoCluster } from './helpers.js';

const ref = REFERENCE_DIR;
const has = hasReference();

let cluster: SsoCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const CRDS: Record<string, [string, string]> = {
  Keycloak: ['keycloak.org_keycloaks_crd.yaml', 'v1alpha1'],
  KeycloakRealm: ['keycloak.org_keycloakrealms_crd.yaml', 'v1alpha1'],
  OperatorGroup: ['operators.coreos.com_operatorgroups.yaml', 'v1'],
  Subscription: ['operators.coreos.com_subscriptions.yaml', 'v1alpha1'],
};

function allChanges(events: EngineEvent[]): Change[] {
  return events.flatMap((e) => (e.type === 'plan' ? e.changes : []));
}

describe('SSO plans against the reference contracts', () => {
  it.skipIf(!has)('manifests validate against the CRD schemas; admin calls exist in the Keycloak 18 admin API with known body members', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const secrets = { 'sso.identity-provider': { clientSecret: 's' } };
    const first = await run(c.services, { answers: { 'sso.identity-provider': { provider: 'google', clientId: 'a' } }, secrets });
    expect(first.result.firstError).toBeUndefined();
    // Drift a mapper so that the second run also plans a mapper update.
    const kc = first.result.outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
    const conn = await connectKeycloak(c.services, { url: kc.url, credentialSecret: { namespace: kc.namespace, name: kc.credentialSecret } });
    const [client] = await conn.admin.clients.find({ realm: 'maas', clientId: '3scale' });
    const id = client?.id ?? '';
    const org = (await conn.admin.clients.listProtocolMappers({ realm: 'maas', id })).find((m) => m.name === 'org_name');
    await conn.admin.clients.updateProtocolMapper({ realm: 'maas', id, mapperId: org?.id ?? '' }, { ...org, config: { ...org?.config, 'claim.name': 'org' } });
    const second = await run(c.services, {
      answers: { 'sso.keycloak': { realmDisplayName: 'X' }, 'sso.client': { redirectUris: 'https://p.example.com/*' }, 'sso.identity-provider': { provider: 'google', clientId: 'b' } },
    });
    expect(second.result.firstError).toBeUndefined();
    const changes = [...allChanges(first.events), ...allChanges(second.events)].filter((ch) => ch.action !== 'none');

    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    const manifests = changes.flatMap((ch) => (ch.manifest && CRDS[ch.manifest.kind] ? [ch.manifest] : []));
    expect(manifests.map((m) => m.kind).sort()).toEqual(['Keycloak', 'KeycloakRealm', 'OperatorGroup', 'Subscription']);
    for (const m of manifests) {
      const [file, version] = CRDS[m.kind] ?? ['', ''];
      const validate = ajv.compile(crdSchema(file, version) as object);
      expect(validate(m), `${m.kind}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }

    const api = JSON.parse(readFileSync(path.join(ref, 'openapi/keycloak-admin-18.0.0.dahag.json'), 'utf8')) as {
      paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: { $ref?: string; items?: { $ref?: string } } }> } }>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const templates = Object.keys(api.paths).map((p) => ({ p, re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
    const calls = changes.flatMap((ch) => (ch.call ? [ch.call] : []));
    expect(new Set(calls.map((x) => `${x.method} ${x.path.replace(/[0-9a-f-]{36}/g, '{id}').replace(/<id of client 3scale>/g, '{id}')}`))).toEqual(new Set([
      'POST /auth/admin/realms/maas/clients',
      'POST /auth/admin/realms/maas/clients/{id}/protocol-mappers/add-models',
      'POST /auth/admin/realms/maas/clients/{id}/protocol-mappers/models',
      'POST /auth/admin/realms/maas/identity-provider/instances',
      'PUT /auth/admin/realms/maas',
      'PUT /auth/admin/realms/maas/clients/{id}',
      'PUT /auth/admin/realms/maas/clients/{id}/protocol-mappers/models/{id}',
      'PUT /auth/admin/realms/maas/identity-provider/instances/google',
    ]));
    for (const call of calls) {
      const rel = call.path.replace(/^\/auth\/admin\/realms/, '') || '/';
      const t = templates.find((x) => x.re.test(rel));
      expect(t, `${call.method} ${call.path} is not in the admin API`).toBeDefined();
      const op = api.paths[t?.p ?? '']?.[call.method.toLowerCase()];
      expect(op, `${call.method} ${t?.p ?? ''}`).toBeDefined();
      const schema = op?.requestBody?.content?.['application/json']?.schema;
      const refName = (schema?.$ref ?? schema?.items?.$ref ?? '').split('/').pop() ?? '';
      const props = Object.keys(api.components.schemas[refName]?.properties ?? {});
      expect(props.length, `${call.method} ${t?.p ?? ''} takes a known representation`).toBeGreaterThan(0);
      for (const body of Array.isArray(call.body) ? call.body : [call.body]) {
        for (const key of Object.keys(body as object)) expect(props, `${refName}.${key}`).toContain(key);
      }
    }
  });
});
