import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ADMIN_ROUTES, PUBLIC_ROUTES } from '../../../src/sim/keycloak/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const specFile = path.resolve(root, '../shared/reference/openapi/keycloak-admin-18.0.0.dahag.json');
const has = existsSync(specFile);
if (!has) console.warn(`skipped: ${specFile} absent (../shared/reference)`);

/** `{realm}/clients/{id1}` → `{}/clients/{}`: templates compared without parameter names. */
const shape = (template: string): string => template.replace(/\{[^}]+\}/g, '{}');

/**
 * Routes outside the admin API (the spec covers `/auth/admin/realms` only): the OIDC token
 * endpoint, realm discovery and JWKS, the realm's public info, the broker endpoint.
 */
const OUTSIDE_ADMIN_API = [
  'POST /auth/realms/{realm}/protocol/openid-connect/token',
  'GET /auth/realms/{realm}/.well-known/openid-configuration',
  'GET /auth/realms/{realm}/protocol/openid-connect/certs',
  'GET /auth/realms/{realm}',
  'GET /auth/realms/{realm}/broker/{alias}/endpoint',
];

describe('simulated Keycloak routes against the Keycloak 18 admin OpenAPI document', () => {
  it.skipIf(!has)('serves only method + path pairs the admin API has', () => {
    const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const known = new Set<string>();
    for (const [p, ops] of Object.entries(spec.paths)) {
      for (const m of Object.keys(ops)) if (['get', 'put', 'post', 'delete', 'patch'].includes(m)) known.add(`${m.toUpperCase()} ${shape(p)}`);
    }
    const unknown = ADMIN_ROUTES.map((r) => `${r.method} ${shape(r.path)}`).filter((k) => !known.has(k));
    expect(unknown).toEqual([]);
    // The check itself can fail: a route the spec lacks is reported.
    expect(known.has(`PATCH ${shape('/{realm}/clients/{id}')}`)).toBe(false);
  });

  it('lists every route outside the admin API explicitly', () => {
    expect(PUBLIC_ROUTES.map((r) => `${r.method} /auth/realms${r.path}`).sort()).toEqual([...OUTSIDE_ADMIN_API].sort());
  });
});
