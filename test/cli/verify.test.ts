/**
 * `maas-wizard verify` in-process against the simulated cluster: the outputs of earlier steps
 * come from the progress file; one line per check; exit 0 when all pass, 1 when one fails (with
 * the fix), 2 when the setup is not done; `--output json`, `--keep-test-account`, `--help`.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openProgress } from '../../src/engine/progress.js';
import { CHECK_ACCOUNT } from '../../steps/verify/index.js';
import { CHAIN, MODEL, startFixture } from '../steps/verify/fixture.js';
import type { VerifyFixture } from '../steps/verify/fixture.js';
import { runCli, tempDir } from './helpers.js';

let f: VerifyFixture;
let snapshot: unknown;
beforeAll(async () => {
  f = await startFixture();
  snapshot = f.threescale.snapshot();
}, 60_000);
afterAll(async () => f?.stop());
beforeEach(() => f.threescale.restore(snapshot));

/** A config home with a kubeconfig of the simulation and a progress file holding `outputs` as done steps. */
async function home(options: { skip?: string[] } = {}): Promise<{ home: string; kubeconfig: string }> {
  const dir = tempDir('maas-verify-');
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, stringify(f.sim.kubeconfig()));
  const progress = await openProgress({ dir, profile: 'lab', server: f.sim.apiUrl, wizardVersion: '0.0.0-test' });
  const at = Date.now();
  progress.record({ type: 'inputs', at, step: 'import', inputs: { models: ['mistralai/Mistral-7B-Instruct-v0.3'] } });
  for (const [step, outputs] of Object.entries(f.outputs)) {
    if (options.skip?.includes(step)) continue;
    progress.record({ type: 'state', at, step, state: 'applying' });
    progress.record({ type: 'outputs', at, step, outputs });
    progress.record({ type: 'state', at, step, state: 'done' });
  }
  await progress.close();
  return { home: dir, kubeconfig };
}

describe('maas-wizard verify', () => {
  it('prints one line per check and exits 0 when every check passes; the account is removed', async () => {
    const h = await home();
    const r = await runCli(['verify', '--profile', 'lab', '--kubeconfig', h.kubeconfig], { home: h.home });
    expect(r.stderr.text).toBe('');
    expect(r.code).toBe(0);
    const checks = r.stdout.lines().filter((l) => /^[✓✗] /.test(l));
    expect(checks.length).toBeGreaterThanOrEqual(9);
    expect(checks.every((l) => l.startsWith('✓ '))).toBe(true);
    expect(checks).toContain('✓ developer portal page / — expected 200, got 200');
    expect(r.stdout.text).toMatch(new RegExp(`all ${checks.length} checks passed\\n$`));
    expect(await f.client.accounts.findBy({ username: CHECK_ACCOUNT.username })).toBeUndefined();
  });

  it('exits 1 with the failed check and a fix naming the owning step when cors comes after apicast', async () => {
    const [cors, upstream, apicast] = CHAIN;
    await f.client.updatePolicies(f.serviceId, [upstream, apicast, cors].filter((p) => p !== undefined));
    await f.deployPromote();
    const h = await home();
    const r = await runCli(['verify', '--profile', 'lab', '--kubeconfig', h.kubeconfig], { home: h.home });
    expect(r.code).toBe(1);
    expect(r.stdout.lines()).toContain(`✗ ${MODEL}: CORS preflight OPTIONS /v1/chat/completions — expected 2xx with Access-Control-Allow-Origin, got 403 with Access-Control-Allow-Origin: *`);
    expect(r.stdout.text).toMatch(/\n1 of \d+ checks failed\n/);
    expect(r.stdout.text).toContain(`fix: browser preflights are refused: the cors policy must come before apicast in the production policy chain (C11) (\`maas-wizard retry policies.${MODEL}\`)`);
  });

  it('--output json gives every check; --keep-test-account keeps the account', async () => {
    const h = await home();
    const r = await runCli(['verify', '--profile', 'lab', '--kubeconfig', h.kubeconfig, '--output', 'json', '--keep-test-account'], { home: h.home });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout.text) as { ok: boolean; checks: { what: string; ok: boolean }[]; keptAccount?: string };
    expect(out.ok).toBe(true);
    expect(out.keptAccount).toBe(CHECK_ACCOUNT.orgName);
    expect(out.checks.map((c) => c.what)).toContain(`${MODEL}: GET /v1/models with Authorization: Bearer <key>`);
    expect((await f.client.accounts.findBy({ username: CHECK_ACCOUNT.username }))?.org_name).toBe(CHECK_ACCOUNT.orgName);
  });

  it('exits 2 with one sentence when the setup is not done, before touching the cluster', async () => {
    const h = await home({ skip: [`policies.${MODEL}`] });
    const r = await runCli(['verify', '--profile', 'lab', '--kubeconfig', h.kubeconfig], { home: h.home });
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain(`error: the setup is not done: policies.${MODEL} is not recorded done in profile lab`);
    expect(r.stderr.text).toContain(`maas-wizard retry policies.${MODEL}`);
    expect(await f.client.accounts.findBy({ username: CHECK_ACCOUNT.username })).toBeUndefined();
  });

  it('--help documents the command and --keep-test-account', async () => {
    const r = await runCli(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.text).toContain('--keep-test-account');
    expect(r.stdout.text).toContain('end-to-end check');
  });
});
