import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readClientSecret } from '../../../src/cluster/keycloak.js';
import { openProgress } from '../../../src/engine/progress.js';
import type { SsoKeycloakOutputs } from '../../../steps/sso/index.js';
import { run, startSsoCluster, writeRequests } from './helpers.js';
import type { SsoCluster } from './helpers.js';

let cluster: SsoCluster | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'maas-sso-'));
});
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  rmSync(dir, { recursive: true, force: true });
});

/** One run with the progress file of profile `lab`, closed afterwards; returns the run and the file's text. */
async function runWithProgress(c: SsoCluster, options: Parameters<typeof run>[1] = {}): Promise<Awaited<ReturnType<typeof run>> & { file: string }> {
  const progress = await openProgress({ dir, profile: 'lab', wizardVersion: '0.1.0' });
  try {
    const r = await run(c.services, { ...options, progress });
    return { ...r, file: readFileSync(progress.path, 'utf8') };
  } finally {
    await progress.close();
  }
}

describe('SSO stage with saved progress', () => {
  it('keeps no secret in the progress file; a resumed run only verifies; a refused admin password is recorded failed, never done', async () => {
    cluster = await startSsoCluster();
    const c = cluster;
    const idpSecret = 'idp-secret-5b1e7d';
    const first = await runWithProgress(c, { answers: { 'sso.identity-provider': { provider: 'github', clientId: 'gh-id' } }, secrets: { 'sso.identity-provider': { clientSecret: idpSecret } } });
    expect(first.result.firstError).toBeUndefined();
    const kc = first.result.outputs['sso.keycloak'] as unknown as SsoKeycloakOutputs;
    const clientSecret = await readClientSecret(c.services, { url: kc.url, credentialSecret: { namespace: kc.namespace, name: kc.credentialSecret }, realm: 'maas', clientId: '3scale' });
    expect(first.file).not.toContain(idpSecret);
    expect(first.file).not.toContain(clientSecret);
    expect(first.file).toContain('credential-rh-sso');

    const mark = c.sim.requestLog.entries().length;
    const resumed = await runWithProgress(c);
    expect(resumed.result.result).toBe('done');
    expect(resumed.events.filter((e) => e.type === 'plan' && e.step.startsWith('sso.'))).toEqual([]);
    expect(writeRequests(c.sim, mark)).toEqual([]);

    await c.services.kube.mergePatch({ apiVersion: 'v1', kind: 'Secret', name: 'credential-rh-sso', namespace: 'rh-sso' }, { data: { ADMIN_PASSWORD: Buffer.from('wrong').toString('base64') } });
    const refused = await runWithProgress(c);
    expect(refused.result.result).toBe('failed');
    const saved = JSON.parse(refused.file) as { steps: Record<string, { state: string }> };
    // sso.keycloak's check reads only the CR and the public discovery document; the admin API steps fail.
    expect(saved.steps['sso.keycloak']?.state).toBe('done');
    expect(saved.steps['sso.client']?.state).toBe('failed');
    expect(saved.steps['sso.identity-provider']?.state).toBe('failed');
    expect(refused.result.firstError?.code).toBe('keycloak.auth');
  });
});
