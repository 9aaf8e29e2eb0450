import { NetworkError } from '@keycloak/keycloak-admin-client';
import { describe, expect, it } from 'vitest';
import { KeycloakApiError, isConflict, keycloakBaseUrl, mapKeycloakError } from '../../../src/cluster/keycloak.js';
import { UserError } from '../../../src/engine/errors.js';
import { EMAIL_VERIFIED_MAPPER, ORG_NAME_MAPPER, planClient, wantedClient } from '../../../steps/sso/client-model.js';
import { clientInputs } from '../../../steps/sso/client.js';
import { identityProviderInputs } from '../../../steps/sso/identity-provider.js';
import { fieldDiff } from '../../../steps/sso/shared.js';

function networkError(status: number, data: unknown): NetworkError {
  return new NetworkError('x', { response: new Response(null, { status }), responseData: data });
}

describe('Keycloak error mapping', () => {
  const url = 'https://keycloak-rh-sso.apps.example.com';

  it('turns a 503 from the route into "not answering yet" with a fix', () => {
    const e = mapKeycloakError(networkError(503, 'Application is not available'), url, 'read realm maas');
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).code).toBe('keycloak.unavailable');
    expect((e as UserError).message).toContain(url);
  });

  it('turns an unreachable host into one sentence naming it', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const e = mapKeycloakError(new TypeError('fetch failed', { cause }), url, 'log in') as UserError;
    expect(e.code).toBe('keycloak.unreachable');
    expect(e.message).toBe(`cannot log in: ${url} cannot be reached (ECONNREFUSED)`);
  });

  it('keeps other answers as KeycloakApiError with the status and Keycloak\'s words; 409 is a conflict', () => {
    const e = mapKeycloakError(networkError(409, { errorMessage: 'Protocol mapper exists with same name' }), url, 'add protocol mapper org_name');
    expect(e).toBeInstanceOf(KeycloakApiError);
    expect((e as KeycloakApiError).status).toBe(409);
    expect((e as Error).message).toContain('Protocol mapper exists with same name');
    expect(isConflict(e)).toBe(true);
    expect(isConflict(networkError(404, {}))).toBe(false);
  });

  it('normalises the RH-SSO base URL', () => {
    expect(keycloakBaseUrl('https://k.example.com/')).toBe('https://k.example.com/auth');
    expect(keycloakBaseUrl('https://k.example.com/auth')).toBe('https://k.example.com/auth');
  });
});

describe('client plan', () => {
  const wanted = wantedClient('3scale', ['https://maas.apps.example.com/*']);

  it('an existing client as planned, with both mappers, plans nothing', () => {
    const current = { ...wanted, id: 'c1', redirectUris: ['https://maas.apps.example.com/*'], defaultClientScopes: ['email'] };
    const mappers = [{ ...EMAIL_VERIFIED_MAPPER, id: 'm1', config: { ...EMAIL_VERIFIED_MAPPER.config, extra: 'kept' } }, { ...ORG_NAME_MAPPER, id: 'm2' }];
    expect(planClient('maas', wanted, current, mappers).map((c) => c.action)).toEqual(['none', 'none', 'none']);
  });

  it('redirect URIs compare as a set; a differing mapper is updated by id, keeping its other config', () => {
    const current = { ...wanted, id: 'c1', redirectUris: ['https://maas.apps.example.com/*', 'https://maas.apps.example.com/*'] };
    const org = { ...ORG_NAME_MAPPER, id: 'm2', config: { ...ORG_NAME_MAPPER.config, 'claim.name': 'org', other: 'x' } };
    const plan = planClient('maas', wanted, current, [{ ...EMAIL_VERIFIED_MAPPER, id: 'm1' }, org]);
    expect(plan.map((c) => c.action)).toEqual(['none', 'none', 'update']);
    expect(plan[2]?.call).toMatchObject({ method: 'PUT', path: '/auth/admin/realms/maas/clients/c1/protocol-mappers/models/m2' });
    expect((plan[2]?.call?.body as { config: Record<string, string> }).config).toMatchObject({ 'claim.name': 'org_name', other: 'x' });
  });

  it('fieldDiff reports nested paths only for wanted keys', () => {
    expect(fieldDiff({ a: 1, b: { c: 'x', d: 'y' }, z: 9 }, { a: 1, b: { c: 'w' } })).toEqual([{ path: 'b.c', from: 'x', to: 'w' }]);
  });
});

describe('SSO inputs', () => {
  it('redirect URIs: URLs or *, comma-separated', () => {
    expect(clientInputs.safeParse({ redirectUris: 'https://a.example.com/*, https://b.example.com/cb' }).success).toBe(true);
    expect(clientInputs.safeParse({ redirectUris: '*' }).success).toBe(true);
    expect(clientInputs.safeParse({ redirectUris: 'maas.example.com' }).success).toBe(false);
    expect(clientInputs.safeParse({}).success).toBe(false);
  });

  it('identity provider: none needs nothing; google needs a client id; oidc an https issuer', () => {
    expect(identityProviderInputs.parse({})).toEqual({ provider: 'none' });
    const g = identityProviderInputs.safeParse({ provider: 'google' });
    expect(g.error?.issues.map((i) => i.path.join('.'))).toEqual(['clientId']);
    const o = identityProviderInputs.safeParse({ provider: 'oidc', clientId: 'x', issuer: 'ftp://x' });
    expect(o.error?.issues.map((i) => i.path.join('.'))).toEqual(['issuer']);
    expect(identityProviderInputs.safeParse({ provider: 'oidc', clientId: 'x', issuer: 'https://sso.redhat.com/auth/realms/redhat-external' }).success).toBe(true);
  });
});
