/**
 * Secrets (issue #10 item 3): after a full run with every secret a person gives set to a
 * recognisable value (Hugging Face token, S3 keys, identity provider client secret), and with the
 * secrets the cluster generates read back from it afterwards (Keycloak admin password, client
 * secret of `3scale`, 3scale admin access token and passwords, database passwords), no file the
 * wizard wrote (progress, report, export, request log) and nothing it printed (line screens,
 * JSON events, status) contains any of them; neither does the canonical state dump.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunOutcome } from '../cli/helpers.js';
import { runCli } from '../cli/helpers.js';
import type { SimHub } from '../../src/sim/hub/index.js';
import type { TestCluster } from './harness.js';
import { FAULT_FLAGS, startTestCluster } from './harness.js';

/** Values a person gives, recognisable in any file or output. */
const GIVEN = {
  hfToken: 'hf_RelSecretHubToken7Q2xw',
  s3AccessKeyId: 'RELSECRETS3ACCESSKEY',
  s3SecretAccessKey: 'RelSecretS3SecretKey0123456789abcdefghij',
  idpClientSecret: 'RelSecretIdpClientSecret5kq',
};

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Secret values the cluster holds after the run: Secret values under secret-looking keys, Keycloak client secrets. */
function clusterSecrets(c: TestCluster): string[] {
  const out = new Set<string>();
  for (const s of c.sim.store.list(c.sim.kinds.byKind('Secret'))) {
    for (const [k, v] of Object.entries((s['data'] ?? {}) as Record<string, string>)) {
      if (!/PASSWORD|TOKEN|SECRET|ACCESS_KEY/i.test(k)) continue;
      const value = Buffer.from(v, 'base64').toString('utf8');
      if (value.length >= 8) out.add(value);
    }
  }
  const kc = (c.backends.keycloak as { snapshot(): unknown } | undefined)?.snapshot() as { data: { realms: { secrets: Record<string, string> }[] } } | undefined;
  for (const r of kc?.data.realms ?? []) for (const v of Object.values(r.secrets)) out.add(v);
  return [...out];
}

describe('secrets never reach files or output', () => {
  let c: TestCluster;
  const outputs: { what: string; run: RunOutcome }[] = [];
  let secrets: string[] = [];

  beforeAll(async () => {
    c = await startTestCluster({
      s3Credentials: { accessKeyId: GIVEN.s3AccessKeyId, secretAccessKey: GIVEN.s3SecretAccessKey },
      extraAnswers: { 'sso.identity-provider': { provider: 'github', clientId: 'maas-reliability' } },
      record: true,
    });
    (c.backends.hub as SimHub).tokens[GIVEN.hfToken] = { name: 'reliability', acceptedLicences: ['*'] };
    const env = { HF_TOKEN: GIVEN.hfToken, SSO_IDP_CLIENT_SECRET: GIVEN.idpClientSecret };
    const first = await c.wizard(FAULT_FLAGS, env);
    outputs.push({ what: 'the run (line screens)', run: first });
    expect(first.code, first.stdout.text.slice(-3000)).toBe(0);
    outputs.push({ what: 'a second run (JSON events)', run: await c.wizard([...FAULT_FLAGS, '--output', 'json'], env) });
    const kube = ['--kubeconfig', c.kubeconfig, '--profile', 'rel'];
    outputs.push({ what: 'status', run: await runCli(['status', ...kube], { home: c.home }) });
    outputs.push({ what: 'status --output json', run: await runCli(['status', ...kube, '--output', 'json'], { home: c.home }) });
    outputs.push({ what: 'export', run: await runCli(['export', '--out', join(c.home, 'export'), ...kube], { home: c.home, env }) });
    secrets = [...Object.values(GIVEN), ...clusterSecrets(c)];
  }, 300_000);

  afterAll(async () => {
    await c.stop();
  });

  it('the cluster holds the values given (so the checks below look for the right strings)', () => {
    const all = clusterSecrets(c);
    expect(all).toContain(GIVEN.hfToken);
    expect(all).toContain(GIVEN.s3SecretAccessKey);
    const kc = JSON.stringify((c.backends.keycloak as unknown as { snapshot(): unknown }).snapshot());
    expect(kc).toContain(GIVEN.idpClientSecret);
    // Generated ones were found too: Keycloak admin password, 3scale admin token, client secret.
    expect(all.length).toBeGreaterThanOrEqual(Object.keys(GIVEN).length + 3);
  });

  it('no file under the wizard home (progress, report, export, request log) contains a secret', async () => {
    await c.sim.requestLog.close(); // the log's lines are appended in the background: wait for them
    const files = filesUnder(c.home).filter((f) => !f.endsWith('answers.yaml') && !f.endsWith('kubeconfig.yaml'));
    // What the run is expected to have written, so an empty home cannot pass.
    expect(files.some((f) => f.endsWith('.json') && f.includes('profiles'))).toBe(true);
    expect(files.some((f) => f.endsWith('requests.jsonl'))).toBe(true);
    expect(files.some((f) => f.includes(`${join(c.home, 'export')}`))).toBe(true);
    const leaks = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return secrets.filter((s) => text.includes(s)).map((s) => `${relative(c.home, f)} contains ${s.slice(0, 4)}…`);
    });
    expect(leaks).toEqual([]);
  });

  it('no snapshot under snapshots/ contains a secret', () => {
    const dir = join(PROJECT_ROOT, 'snapshots');
    const files = statSync(dir, { throwIfNoEntry: false })?.isDirectory() ? filesUnder(dir) : [];
    const leaks = files.flatMap((f) => secrets.filter((s) => readFileSync(f, 'utf8').includes(s)).map((s) => `${relative(PROJECT_ROOT, f)}: ${s.slice(0, 4)}…`));
    expect(leaks).toEqual([]);
  });

  it('nothing printed (screens, JSON events, status, export) contains a secret', () => {
    const leaks = outputs.flatMap(({ what, run }) =>
      secrets.filter((s) => run.stdout.text.includes(s) || run.stderr.text.includes(s)).map((s) => `${what}: ${s.slice(0, 4)}…`),
    );
    expect(leaks).toEqual([]);
  });

  it('the request log names the secret-carrying fields without their values', () => {
    const entries = c.sim.requestLog.entries();
    const idp = entries.find((e) => e.service === 'keycloak' && e.method === 'POST' && e.path.includes('/identity-provider/instances'));
    expect(idp?.bodyKeys).toEqual(expect.arrayContaining(['alias', 'config']));
    const text = JSON.stringify(entries);
    expect(secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 4)}…`)).toEqual([]);
  });

  it('the canonical state dump holds no secret (it may be printed in a failing test)', async () => {
    const text = JSON.stringify(await c.dump());
    expect(secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 4)}…`)).toEqual([]);
  });
});
