/**
 * The end-to-end check against the simulated cluster: every check passes on a correct setup, the
 * throwaway account is removed (or kept with keepTestAccount), and each check fails when its cause
 * is broken — Bearer mode, cors after apicast, limits removed, portal content unpublished, SSO
 * integration unpublished, redirect URIs not covering the portal — with a fix naming the step
 * that owns the cause. Keys never appear in events.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/types.js';
import { CHECK_ACCOUNT } from '../../../steps/verify/index.js';
import type { VerifyOutputs } from '../../../steps/verify/index.js';
import { CHAIN, LIMIT, MODEL, runVerify, startFixture } from './fixture.js';
import type { VerifyFixture } from './fixture.js';

let f: VerifyFixture;
let snapshot: unknown;
beforeAll(async () => {
  f = await startFixture();
  snapshot = f.threescale.snapshot();
}, 60_000);
afterAll(async () => f?.stop());
beforeEach(() => {
  f.threescale.restore(snapshot);
});
afterEach(() => {
  f.threescale.restore(snapshot);
});

const logs = (events: EngineEvent[]): string[] =>
  events.filter((e): e is Extract<EngineEvent, { type: 'log' }> => e.type === 'log' && e.step === 'verify').map((e) => e.message);

/** The verify step's failure (code, message, fix), or undefined. */
function failureOf(events: EngineEvent[]): { code: string; message: string; fix?: string } | undefined {
  return events.find((e): e is Extract<EngineEvent, { type: 'state' }> => e.type === 'state' && e.step === 'verify' && e.state === 'failed')?.error;
}

/** Every user_key of the tenant (to prove none leaks into events). */
function allKeys(): string[] {
  return (f.threescale.state.tenant?.applications ?? []).map((a) => String(a['user_key'] ?? '')).filter((k) => k.length > 0);
}

describe('verify: the end-to-end check', () => {
  it('passes on a correct setup, one line per check, then removes the throwaway account', async () => {
    const keysBefore = new Set(allKeys());
    const { result, events } = await runVerify(f);
    expect(failureOf(events)).toBeUndefined();
    expect(result.result).toBe('done');
    const out = result.outputs['verify'] as unknown as VerifyOutputs;
    const whats = out.checks.map((c) => c.what);
    expect(whats).toEqual(expect.arrayContaining([
      `${MODEL}: /v1/models without a key`,
      `${MODEL}: GET /v1/models with Authorization: Bearer <key>`,
      `${MODEL}: POST /v1/chat/completions with Authorization: Bearer <key>`,
      `${MODEL}: CORS preflight OPTIONS /v1/chat/completions`,
      `${MODEL}: hits in the application's usage statistics`,
      'developer portal page /',
      'developer portal offers the Red Hat SSO login',
      'client 3scale accepts the portal\'s callback',
    ]));
    expect(out.checks.every((c) => c.ok)).toBe(true);
    expect(out.checks.find((c) => c.what.includes('burst'))?.got).toMatch(/^429 at request \d+/);
    expect(out.checks.find((c) => c.what.includes('without a key'))?.got).toMatch(/^403/);
    expect(out.keptAccount).toBeUndefined();
    // One log line per check, as they happen.
    const lines = logs(events).filter((l) => l.startsWith('✓') || l.startsWith('✗'));
    expect(lines).toHaveLength(out.checks.length);
    expect(lines[0]).toMatch(/^✓ mistral-7b-instruct: \/v1\/models without a key — expected 403 \(credentials missing\), got 403/);
    // The account is gone, with its applications.
    expect(await f.client.accounts.findBy({ username: CHECK_ACCOUNT.username })).toBeUndefined();
    // The masked key is what the log shows; the sample application's key never appears either.
    expect(logs(events).some((l) => /key \w{4}…$/.test(l))).toBe(true);
    for (const k of keysBefore) expect(JSON.stringify(events)).not.toContain(k);
  });

  it('keeps the account and its application with keepTestAccount, and no key reaches the events', async () => {
    const { result, events } = await runVerify(f, { keepTestAccount: true });
    expect(result.result).toBe('done');
    const out = result.outputs['verify'] as unknown as VerifyOutputs;
    expect(out.keptAccount).toBe(CHECK_ACCOUNT.orgName);
    const account = await f.client.accounts.findBy({ username: CHECK_ACCOUNT.username });
    expect(account?.org_name).toBe(CHECK_ACCOUNT.orgName);
    const apps = await f.client.applications(account?.id ?? 0).list();
    expect(apps.map((a) => a.service_id)).toEqual([f.serviceId]);
    const key = String(apps[0]?.user_key);
    expect(key.length).toBeGreaterThan(8);
    expect(JSON.stringify(events)).not.toContain(key);
    expect(JSON.stringify(result.outputs)).not.toContain(key);

    // A second run finds the kept account, replaces its application (fresh usage), and still passes.
    const again = await runVerify(f, { keepTestAccount: true });
    expect(failureOf(again.events)).toBeUndefined();
    const apps2 = await f.client.applications(account?.id ?? 0).list();
    expect(apps2).toHaveLength(1);
    expect(apps2[0]?.id).not.toBe(apps[0]?.id);
  });

  it('fails when the proxy expects the key in a header (wrong Bearer mode), pointing at policies', async () => {
    await f.client.updateProxy(f.serviceId, { credentials_location: 'headers', auth_user_key: 'Authorization' });
    await f.deployPromote();
    const { result, events } = await runVerify(f);
    expect(result.result).toBe('failed');
    const err = failureOf(events);
    expect(err?.code).toBe('verify.failed');
    expect(err?.message).toContain('GET /v1/models with Authorization: Bearer <key>: expected 200 listing mistral-7b-instruct, got 403');
    expect(err?.fix).toContain(`maas-wizard retry policies.${MODEL}`);
    expect(err?.fix).toContain('Bearer mode');
    // The account is removed even though the check failed.
    expect(await f.client.accounts.findBy({ username: CHECK_ACCOUNT.username })).toBeUndefined();
    expect(logs(events).some((l) => l.startsWith('✗'))).toBe(true);
  });

  it('fails the CORS preflight when cors comes after apicast in the production chain (C11)', async () => {
    const [cors, upstream, apicast] = CHAIN;
    await f.client.updatePolicies(f.serviceId, [upstream, apicast, cors].filter((p) => p !== undefined));
    await f.deployPromote();
    const { events } = await runVerify(f);
    const err = failureOf(events);
    expect(err?.message).toContain('CORS preflight OPTIONS /v1/chat/completions: expected 2xx with Access-Control-Allow-Origin, got 403');
    expect(err?.message).toMatch(/^1 of \d+ end-to-end checks failed/);
    expect(err?.fix).toContain('cors policy must come before apicast');
    expect(err?.fix).toContain(`retry policies.${MODEL}`);
  });

  it('fails the burst when the plan\'s limits were removed', async () => {
    for (const limit of await f.client.planLimits(f.planId)) await f.client.limits(f.planId, f.hitsId).delete(limit.id);
    expect(await f.client.planLimits(f.planId)).toEqual([]);
    const { events } = await runVerify(f);
    const err = failureOf(events);
    expect(err?.message).toContain(`burst of up to ${LIMIT + 5} requests (limits ${LIMIT}/minute): expected 429 within ${LIMIT + 5} requests, got no 429 after ${LIMIT + 5} requests (last 200)`);
    expect(err?.fix).toContain('rate limits are not enforced');
  });

  it('fails when the portal content is unpublished (home page gone), pointing at portal.content', async () => {
    const home = (await f.client.cmsTemplates.list()).find((t) => t.type === 'page' && t.path === '/');
    expect(home).toBeDefined();
    await f.client.cmsTemplates.delete(home?.id ?? 0);
    const { events } = await runVerify(f);
    const err = failureOf(events);
    expect(err?.message).toContain('developer portal page /: expected 200, got 404');
    expect(err?.fix).toContain('retry portal.content');
  });

  it('fails when the SSO integration is unpublished or the portal is closed, pointing at portal.settings', async () => {
    const provider = (await f.client.authProviders.list()).find((p) => p.kind === 'keycloak');
    await f.client.authProviders.update(provider?.id ?? 0, { published: false });
    const unpublished = failureOf((await runVerify(f)).events);
    expect(unpublished?.message).toContain('developer portal offers the Red Hat SSO login: expected a link to');
    expect(unpublished?.message).toContain('got no SSO login link on the home page or /login');
    expect(unpublished?.fix).toContain('retry portal.settings');

    f.threescale.restore(snapshot);
    await f.client.updateProvider({ site_access_code: 'letmein' });
    const closed = failureOf((await runVerify(f)).events);
    expect(closed?.message).toContain('developer portal page /: expected 200, got 403 (access code required)');
    expect(closed?.fix).toContain('retry portal.settings');
  });

  it('fails when the client 3scale does not accept the portal callback, pointing at sso.client', async () => {
    const conn = await import('../../../src/cluster/keycloak.js').then((m) => m.connectKeycloak(f.services, { url: String(f.outputs['sso.keycloak']?.['url']), credentialSecret: { namespace: String(f.outputs['sso.keycloak']?.['namespace']), name: String(f.outputs['sso.keycloak']?.['credentialSecret']) } }));
    const realm = String(f.outputs['sso.keycloak']?.['realm']);
    const client = (await conn.admin.clients.find({ realm, clientId: '3scale' }))[0];
    const before = client?.redirectUris ?? [];
    await conn.admin.clients.update({ realm, id: client?.id ?? '' }, { ...client, redirectUris: ['https://elsewhere.example.com/*'] });
    try {
      const err = failureOf((await runVerify(f)).events);
      expect(err?.message).toContain('client 3scale accepts the portal\'s callback: expected redirect URIs covering https://maas.');
      expect(err?.message).toContain('got redirect URIs https://elsewhere.example.com/*');
      expect(err?.fix).toContain('retry sso.client');
    } finally {
      await conn.admin.clients.update({ realm, id: client?.id ?? '' }, { ...client, redirectUris: before });
    }
  });
});
