/**
 * CMS file uploads (multipart/form-data) through the wizard's real HTTP layer (createHttpLayer:
 * undici 8's fetch with ingress routing) to the simulated 3scale, read back from the developer
 * portal. undici 8's fetch does not recognise Node's global FormData: a form handed to it as is
 * went out as the text "[object FormData]", lost the access token and got 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { startHarness } from './harness.js';
import type { ClientHarness } from './harness.js';

let h: ClientHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

/** Bytes that are not valid UTF-8 text (a PNG signature, a NUL, 0xff), so any text re-encoding shows. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x10, 0x80]);

/**
 * GETs a developer portal URL through the same HTTP layer, past the portal's access code (the
 * provider's `site_access_code`, sent as the cookie the access code form sets), and returns
 * status, type and bytes.
 */
async function download(url: string): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
  const code = String((await h.client().provider()).site_access_code ?? '');
  const res = await h.http.fetch(url, { headers: { cookie: `access_code=${encodeURIComponent(code)}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

describe('CMS file upload through the HTTP layer', () => {
  it('creates a file whose bytes, type and name the developer portal serves back unchanged', async () => {
    const client = h.client();
    const file = await client.cmsFiles.create({ path: '/images/logo.png', downloadable: false }, { field: 'attachment', file: { filename: 'logo.png', contentType: 'image/png', data: PNG } });
    expect(file.path).toBe('/images/logo.png');
    expect(file.title).toBe('logo.png');
    expect(file.url).toBeDefined();

    const listed = await client.cmsFiles.list();
    expect(listed.map((f) => f.path)).toContain('/images/logo.png');

    const got = await download(file.url ?? '');
    expect(got.status).toBe(200);
    expect(got.type).toBe('image/png');
    expect([...got.bytes]).toEqual([...PNG]);
  });

  it('replaces the attachment of an existing file (PUT, multipart) and serves the new bytes', async () => {
    const client = h.client();
    const file = await client.cmsFiles.create({ path: '/css/site.css' }, { field: 'attachment', file: { filename: 'site.css', contentType: 'text/css', data: new TextEncoder().encode('body{color:red}') } });
    const updated = await client.cmsFiles.update(file.id, {}, { field: 'attachment', file: { filename: 'site.css', contentType: 'text/css', data: new TextEncoder().encode('body{color:#0066cc}') } });
    expect(updated.id).toBe(file.id);
    const got = await download(updated.url ?? '');
    expect(got.status).toBe(200);
    expect(new TextDecoder().decode(got.bytes)).toBe('body{color:#0066cc}');
  });

  it('sends the access token inside the multipart body: a wrong token is refused as 3scale.denied', async () => {
    const client = h.client({ accessToken: async () => 'not-the-token' });
    const err = await client.cmsFiles.create({ path: '/denied.png' }, { field: 'attachment', file: { filename: 'denied.png', contentType: 'image/png', data: PNG } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('3scale.denied');
    const paths = (await h.client().cmsFiles.list()).map((f) => f.path);
    expect(paths).not.toContain('/denied.png');
  });
});
