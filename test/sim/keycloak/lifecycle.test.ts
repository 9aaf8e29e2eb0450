import { describe, expect, it } from 'vitest';
import { createKeycloak } from '../../../src/sim/keycloak/index.js';
import { serve } from '../models/serve.js';

/** Gets an admin token by password grant; returns the HTTP status and the body. */
async function token(url: string, password: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${url}/auth/realms/master/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'password', client_id: 'admin-cli', username: 'admin', password }),
  });
  const text = await r.text();
  return { status: r.status, body: r.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
}

describe('simulated Keycloak lifecycle', () => {
  it('answers 503 before readyAfterMs, then serves', async () => {
    let clock = 1_000_000;
    const kc = createKeycloak({ now: () => clock, readyAfterMs: 120_000 });
    kc.setAdmin('admin', 'pw');
    const s = await serve(kc.handler);
    try {
      expect((await fetch(`${s.url}/auth/realms/master/.well-known/openid-configuration`)).status).toBe(503);
      expect((await token(s.url, 'pw')).status).toBe(503);
      clock += 120_000;
      expect((await token(s.url, 'pw')).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('expires access tokens after expires_in seconds and renews them with the refresh token', async () => {
    let clock = 5_000_000;
    const kc = createKeycloak({ now: () => clock });
    kc.setAdmin('admin', 'pw');
    const s = await serve(kc.handler);
    try {
      const t = await token(s.url, 'pw');
      const auth = { authorization: `Bearer ${String(t.body.access_token)}` };
      expect((await fetch(`${s.url}/auth/admin/realms`, { headers: auth })).status).toBe(200);
      clock += Number(t.body.expires_in) * 1000;
      expect((await fetch(`${s.url}/auth/admin/realms`, { headers: auth })).status).toBe(401);
      const refreshed = await fetch(`${s.url}/auth/realms/master/protocol/openid-connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'admin-cli', refresh_token: String(t.body.refresh_token) }),
      });
      expect(refreshed.status).toBe(200);
      const fresh = (await refreshed.json()) as { access_token: string };
      expect((await fetch(`${s.url}/auth/admin/realms`, { headers: { authorization: `Bearer ${fresh.access_token}` } })).status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('keeps realms, clients and secrets across snapshot/restore, never the admin password in clear', async () => {
    const kc = createKeycloak();
    kc.setAdmin('admin', 'very-secret-admin-password');
    kc.ensureRealm('maas');
    const s = await serve(kc.handler);
    let secret: string;
    try {
      const t = await token(s.url, 'very-secret-admin-password');
      const headers = { authorization: `Bearer ${String(t.body.access_token)}`, 'content-type': 'application/json' };
      const created = await fetch(`${s.url}/auth/admin/realms/maas/clients`, { method: 'POST', headers, body: JSON.stringify({ clientId: '3scale' }) });
      expect(created.status).toBe(201);
      const location = created.headers.get('location') ?? '';
      secret = ((await (await fetch(`${location}/client-secret`, { headers })).json()) as { value: string }).value;
    } finally {
      await s.close();
    }
    const snap = JSON.stringify(kc.snapshot());
    expect(snap).not.toContain('very-secret-admin-password');

    const again = createKeycloak();
    again.restore(JSON.parse(snap));
    const s2 = await serve(again.handler);
    try {
      const t = await token(s2.url, 'very-secret-admin-password');
      expect(t.status).toBe(200);
      const headers = { authorization: `Bearer ${String(t.body.access_token)}` };
      const [client] = (await (await fetch(`${s2.url}/auth/admin/realms/maas/clients?clientId=3scale`, { headers })).json()) as { id: string }[];
      const back = (await (await fetch(`${s2.url}/auth/admin/realms/maas/clients/${client?.id ?? ''}/client-secret`, { headers })).json()) as { value: string };
      expect(back.value).toBe(secret);
    } finally {
      await s2.close();
    }
    expect(() => again.restore({ nonsense: true })).toThrow(TypeError);
  });

  it('answers an unsupported grant 400 and another client 401', async () => {
    const kc = createKeycloak();
    kc.setAdmin('admin', 'pw');
    const s = await serve(kc.handler);
    try {
      const post = (form: Record<string, string>): Promise<Response> =>
        fetch(`${s.url}/auth/realms/master/protocol/openid-connect/token`, { method: 'POST', body: new URLSearchParams(form) });
      expect((await post({ grant_type: 'client_credentials', client_id: 'admin-cli' })).status).toBe(400);
      expect((await post({ grant_type: 'password', client_id: 'other', username: 'admin', password: 'pw' })).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
