/** Tiny fake backends recording what the operators ask of them. */
import type { HostHandler, KeycloakBackend, S3Backend, ThreescaleBackend } from '../../../src/sim/types.js';

export const okHandler = (body: string): HostHandler => (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end(body);
};

export function fakeS3(files: Record<string, { key: string; size: number }[]> = {}): S3Backend & { buckets: string[]; files: typeof files } {
  const buckets: string[] = [];
  return {
    accessKeyId: 'AKIAFAKEFAKEFAKE',
    secretAccessKey: 'fake-secret-key',
    buckets,
    files,
    ensureBucket: (name) => {
      if (!buckets.includes(name)) buckets.push(name);
      return Promise.resolve();
    },
    listObjects: (bucket, prefix) => Promise.resolve((files[bucket] ?? []).filter((f) => f.key.startsWith(prefix))),
    handler: okHandler('s3'),
  };
}

export function fakeKeycloak(): KeycloakBackend & { admins: [string, string][]; realms: [string, string | undefined][] } {
  const admins: [string, string][] = [];
  const realms: [string, string | undefined][] = [];
  return {
    admins,
    realms,
    setAdmin: (u, p) => void admins.push([u, p]),
    ensureRealm: (r, d) => void realms.push([r, d]),
    handler: okHandler('keycloak'),
  };
}

export function fakeThreescale(): ThreescaleBackend & { tenants: { tenantName: string; accessToken: string; domain: string }[]; policies: { name: string; version: string }[][]; setProducts(p: { id: number; systemName: string }[]): void } {
  const listeners = new Set<(p: { id: number; systemName: string }[]) => void>();
  let products = [{ id: 2, systemName: 'api' }];
  const tenants: { tenantName: string; accessToken: string; domain: string }[] = [];
  const policies: { name: string; version: string }[][] = [];
  return {
    tenants,
    policies,
    provisionTenant: (o) => void tenants.push(o),
    onProductsChanged(l) {
      listeners.add(l);
      l(products);
      return () => listeners.delete(l);
    },
    setCustomPolicies: (names) => void policies.push(names),
    handler: okHandler('3scale'),
    setProducts(p) {
      products = p;
      for (const l of listeners) l(p);
    },
  };
}
