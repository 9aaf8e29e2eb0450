import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeycloak } from '../../../src/sim/keycloak/index.js';
import { install, makeEnv, secretKey, statusOf, subscribe } from './env.js';
import type { TestEnv } from './env.js';
import { fakeKeycloak } from './fakes.js';

let env: TestEnv;
afterEach(() => env.stop());

const keycloak = (env: TestEnv, ns = 'rh-sso'): void => {
  env.o.ensure('Keycloak', { metadata: { name: 'rh-sso', namespace: ns, labels: { app: 'rh-sso' } }, spec: { externalAccess: { enabled: true }, instances: 1 } });
};
const realm = (env: TestEnv, displayName: string): void => {
  env.o.ensure('KeycloakRealm', { metadata: { name: 'maas', namespace: 'rh-sso' }, spec: { instanceSelector: { matchLabels: { app: 'rh-sso' } }, realm: { id: 'maas', realm: 'maas', displayName, enabled: true } } });
};

describe('simulated RH-SSO operator', () => {
  it('Keycloak → credential Secret, Route keycloak, status initialising then ready; backend gets admin and host', async () => {
    const kc = fakeKeycloak();
    env = makeEnv({ backends: { keycloak: kc } });
    await install(env, 'rhsso-operator', 'rh-sso');
    const phases: unknown[] = [];
    env.store.subscribe((e) => {
      if (e.kind.kind === 'Keycloak') phases.push(statusOf(e.object)['phase']);
    });
    keycloak(env);
    const obj = await env.waitFor('Keycloak', 'rh-sso', 'rh-sso', (k) => statusOf(k)['ready'] === true);
    expect(phases.filter((p, i) => p !== undefined && p !== phases[i - 1])).toEqual(['initialising', 'reconciling']);
    const host = 'keycloak-rh-sso.apps.sim.maas.example';
    expect(statusOf(obj)).toMatchObject({ phase: 'reconciling', ready: true, credentialSecret: 'credential-rh-sso', externalURL: `https://${host}` });
    const route = env.o.get('Route', 'rh-sso', 'keycloak');
    expect((route?.['spec'] as { host: string }).host).toBe(host);
    const secret = env.o.get('Secret', 'rh-sso', 'credential-rh-sso');
    expect(secretKey(secret, 'ADMIN_USERNAME')).toBe('admin');
    const password = secretKey(secret, 'ADMIN_PASSWORD') ?? '';
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(kc.admins).toEqual([['admin', password]]);
    expect(env.ingress.get(`${host}:443`)).toBe(kc.handler);
  });

  it('KeycloakRealm creates the realm once; later edits of the CR are ignored (C7)', async () => {
    const kc = fakeKeycloak();
    env = makeEnv({ backends: { keycloak: kc } });
    await install(env, 'rhsso-operator', 'rh-sso');
    realm(env, 'MaaS');
    keycloak(env);
    const r = await env.waitFor('KeycloakRealm', 'rh-sso', 'maas', (x) => statusOf(x)['ready'] === true);
    expect(statusOf(r)).toMatchObject({ ready: true, phase: 'reconciling' });
    expect(kc.realms).toEqual([['maas', 'MaaS']]);
    env.o.update('KeycloakRealm', 'rh-sso', 'maas', (x) => {
      (x['spec'] as { realm: { displayName: string } }).realm.displayName = 'Renamed';
    });
    await env.clock.settled();
    expect(kc.realms).toEqual([['maas', 'MaaS']]);
  });

  it('without the operator installed for the namespace nothing happens', async () => {
    const kc = fakeKeycloak();
    env = makeEnv({ backends: { keycloak: kc } });
    subscribe(env, 'rhsso-operator', 'rh-sso', { targetNamespaces: ['other'] });
    await env.waitFor('ClusterServiceVersion', 'rh-sso', 'rhsso-operator.7.6.11-opr-003', (c) => statusOf(c)['phase'] === 'Succeeded');
    keycloak(env);
    await env.clock.settled();
    expect(env.o.get('Keycloak', 'rh-sso', 'rh-sso')?.['status']).toBeUndefined();
    expect(env.o.get('Route', 'rh-sso', 'keycloak')).toBeUndefined();
    expect(kc.admins).toEqual([]);
  });

  it.each([[false, 'before'], [true, 'after']] as const)('keycloak-slow-start=%s: Keycloak is ready %s five simulated minutes', async (slow, when) => {
    env = makeEnv({ flags: { keycloakSlowStart: slow } });
    await install(env, 'rhsso-operator', 'rh-sso');
    let fiveMinutesPassed = false;
    env.clock.after(300, () => {
      fiveMinutesPassed = true;
    });
    keycloak(env);
    await env.waitFor('Keycloak', 'rh-sso', 'rh-sso', (k) => statusOf(k)['ready'] === true);
    expect(fiveMinutesPassed).toBe(when === 'after');
  });

  it.each([[true, 503], [false, undefined]] as const)('keycloak-slow-start=%s: at two simulated minutes the Route is served by the Keycloak service with %s', async (slow, status) => {
    const kc = createKeycloak();
    env = makeEnv({ flags: { keycloakSlowStart: slow }, backends: { keycloak: kc } });
    await install(env, 'rhsso-operator', 'rh-sso');
    const host = 'keycloak-rh-sso.apps.sim.maas.example';
    let seen: number | undefined;
    let ready: unknown;
    // Inside a clock step, so nothing else moves: the handler decides its status synchronously.
    env.clock.after(120, () => {
      ready = statusOf(env.o.get('Keycloak', 'rh-sso', 'rh-sso'))['ready'];
      const handler = env.ingress.get(host);
      if (!handler) return;
      const req = new IncomingMessage(new Socket());
      req.headers = { host };
      req.url = '/auth';
      req.method = 'GET';
      const res = new ServerResponse(req);
      void handler(req, res);
      seen = res.statusCode;
    });
    keycloak(env);
    await env.waitFor('Keycloak', 'rh-sso', 'rh-sso', (k) => statusOf(k)['ready'] === true);
    expect(ready).toBe(false);
    expect(seen).toBe(status);
    // Ready: the same service answers.
    expect(env.ingress.get(host)).toBe(kc.handler);
  });
});
