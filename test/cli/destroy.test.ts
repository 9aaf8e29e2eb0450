/**
 * `maas-wizard destroy` against the simulated cluster after a full unattended run (real steps,
 * real adapters, `main()` in-process, the wizard pointed at the simulation by a kubeconfig file so
 * the test can read the request log, the object store and the simulated S3).
 *
 * One cluster, one story: refuse without --yes → --step one product → a full destroy that fails at
 * one step (fault injection) → the next destroy resumes → a third changes nothing → the wizard sets
 * everything up again → destroy --delete-data --delete-namespaces removes the bucket and namespaces.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createServices } from '../../src/cluster/services.js';
import type { Services } from '../../src/cluster/services.js';
import { connectThreescale } from '../../src/cluster/threescale/connect.js';
import { defaultBackends } from '../../src/sim/backends.js';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { startSimulation } from '../../src/sim/index.js';
import type { RunningSimulation } from '../../src/sim/index.js';
import { simFaults } from '../../src/sim/kube/faults.js';
import type { S3Backend } from '../../src/sim/types.js';
import { localImportAnswers, readStatus, tail, writesIn } from '../e2e/helpers.js';
import { runCli, tempDir } from './helpers.js';
import type { RunOutcome } from './helpers.js';

const MISTRAL = 'mistral-7b-instruct';
const GRANITE = 'granite-8b-code-instruct';

let sim: RunningSimulation;
let s3: S3Backend;
let home: string;
let kubeconfig: string;
let services: Services;
let answers: string;

const target = (): string[] => ['--kubeconfig', kubeconfig, '--profile', 'e2e'];
const wizard = (extra: string[] = []): Promise<RunOutcome> => runCli([...target(), '--yes', '--answers', answers, ...extra], { home, input: '', env: { HF_TOKEN: DEMO_HF_TOKEN } });
const destroy = (extra: string[] = []): Promise<RunOutcome> => runCli([...target(), 'destroy', ...extra], { home, input: '' });
const status = async (): Promise<Map<string, string>> => new Map((await readStatus(home, target())).steps.map((s) => [s.step, s.state]));
const names = (kind: string, ns?: string): string[] => sim.store.list(sim.kinds.byKind(kind), ns).map((o) => o.metadata.name);
const bucketName = (): string => String((sim.store.get(sim.kinds.byKind('ConfigMap'), 'llm-hosting', 'models')?.['data'] as Record<string, string> | undefined)?.['BUCKET_NAME']);
/** Why a run failed: its error lines, then the end of its output. */
const why = (r: RunOutcome): string => `${[...r.stdout.lines(), ...r.stderr.lines()].filter((l) => /✗|error|fix:|failed/i.test(l)).join('\n')}\n${tail(r, 1500)}`;
const stepLines = (r: RunOutcome): string[] => r.stdout.lines().filter((l) => /^[✓✗-] /.test(l));

beforeAll(async () => {
  sim = await startSimulation({
    timing: 'instant',
    backends: async (env) => {
      const b = await defaultBackends()(env);
      if (b.s3) s3 = b.s3;
      return b;
    },
  });
  home = tempDir('maas-destroy-');
  kubeconfig = join(home, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, stringify(sim.kubeconfig()), { mode: 0o600 });
  answers = localImportAnswers(home);
  services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: home, PATH: process.env['PATH'] ?? '' } });
  const first = await wizard();
  expect(first.code, why(first)).toBe(0);
}, 120_000);

afterAll(async () => {
  await services?.close();
  await sim?.stop();
});

describe('maas-wizard destroy', () => {
  it('without a terminal and without --yes prints the plan, refuses with exit 2 naming --yes, and deletes nothing', async () => {
    const before = sim.requestLog.entries().length;
    const r = await destroy();
    expect(r.code).toBe(2);
    expect(r.stdout.text).toContain('threescale.product.mistral-7b-instruct');
    expect(r.stdout.text).toMatch(/ObjectBucketClaim llm-hosting\/models .*\[kept: .*--delete-data/);
    expect(r.stderr.text).toContain('--yes');
    expect(writesIn(sim.requestLog.entries().slice(before))).toEqual([]);
    expect((await status()).get('verify')).toBe('done');
  });

  it('--step threescale.product.<m> removes that product and forgets it and its dependants only', async () => {
    const r = await destroy(['--step', `threescale.product.${MISTRAL}`, '--yes']);
    expect(r.code, tail(r)).toBe(0);
    expect(stepLines(r).map((l) => l.split(':')[0])).toEqual(['✓ verify', '✓ portal.content', `✓ policies.${MISTRAL}`, `✓ threescale.product.${MISTRAL}`]);
    const am = (await readStatus(home, target())).steps.find((s) => s.step === 'threescale.apimanager')?.outputs as { namespace: string; adminUrl: string };
    const api = connectThreescale(services, am);
    expect(await api.services.findBySystemName('mistral_7b_instruct')).toBeUndefined();
    expect(await api.backends.findBySystemName('mistral_7b_instruct')).toBeUndefined();
    expect(await api.services.findBySystemName('granite_8b_code_instruct')).toBeDefined();
    const st = await status();
    for (const id of [`threescale.product.${MISTRAL}`, `policies.${MISTRAL}`, 'portal.content', 'verify']) expect(st.get(id), id).not.toBe('done');
    for (const id of [`threescale.product.${GRANITE}`, `policies.${GRANITE}`, 'portal.settings', 'sso.client', `serving.${MISTRAL}`]) expect(st.get(id), id).toBe('done');
  });

  it('a destroy that fails at one step keeps what that step needs, and the next destroy resumes there', async () => {
    // Fail the first write after the APIManager's deletion: the first Secret of threescale.databases.
    const faults = simFaults(sim.faults);
    if (!faults) throw new Error('the simulation has no write-level fault injection');
    const off = faults.onWrite((w) => {
      if (w.method === 'DELETE' && w.path.includes('/apimanagers/')) faults.failWriteAt(w.index + 1, 'status-500');
    });
    const first = await destroy(['--yes']);
    off();
    faults.clear();
    expect(first.code, tail(first)).toBe(1);
    expect(first.stdout.text).toMatch(/^✗ threescale\.databases: /m);
    expect(first.stdout.text).toMatch(/^- threescale\.operator: kept: threescale\.databases, which needs it, failed/m);
    expect(first.stdout.text).toMatch(/^✓ sso\.client: deleted client 3scale/m);
    expect(first.stdout.text).toMatch(/run `maas-wizard destroy` again to resume/);
    const mid = await status();
    expect(mid.get('threescale.databases')).toBe('done');
    expect(mid.get('threescale.apimanager')).not.toBe('done');

    const second = await destroy(['--yes']);
    expect(second.code, tail(second)).toBe(0);
    expect(stepLines(second).map((l) => l.split(':')[0])).toEqual(['✓ threescale.databases', '✓ threescale.operator', '✓ preflight']);
    expect([...(await status()).values()].filter((s) => s === 'done')).toEqual([]);
  });

  it('after destroy --yes the set-up is gone from the cluster, the bucket data stays, and a third destroy changes nothing', async () => {
    expect(names('InferenceService', 'llm-hosting')).toEqual([]);
    expect(names('APIManager')).toEqual([]);
    expect(names('Keycloak')).toEqual([]);
    expect(names('KeycloakRealm')).toEqual([]);
    expect(names('Subscription')).toEqual([]);
    expect(names('Secret', 'llm-hosting')).not.toContain('aws-connection-models');
    const log = sim.requestLog.entries();
    const ok = (method: string, pattern: RegExp): boolean => log.some((e) => e.method === method && pattern.test(e.path) && e.status < 300);
    expect(ok('DELETE', /\/auth\/admin\/realms\/maas\/clients\/[^/]+$/)).toBe(true);
    expect(ok('DELETE', /\/admin\/api\/services\/\d+\.(xml|json)(\?|$)/)).toBe(true);
    expect(ok('DELETE', /\/admin\/api\/backend_apis\/\d+\.json(\?|$)/)).toBe(true);
    expect(ok('PUT', /\/admin\/api\/authentication_providers\/\d+\.(xml|json)(\?|$)/)).toBe(true);
    // Kept: the claim, its namespace and the files (no --delete-data), the namespaces (no --delete-namespaces).
    expect(names('ObjectBucketClaim', 'llm-hosting')).toEqual(['models']);
    expect(names('Namespace')).toEqual(expect.arrayContaining(['llm-hosting', '3scale', 'rh-sso']));
    expect((await s3.listObjects(bucketName(), 'mistralai/')).length).toBeGreaterThan(0);

    const before = sim.requestLog.entries().length;
    const third = await destroy(['--yes']);
    expect(third.code, tail(third)).toBe(0);
    expect(third.stdout.text).toMatch(/^nothing to tear down/);
    expect(writesIn(sim.requestLog.entries().slice(before))).toEqual([]);
  });

  it('the wizard then sets everything up again, and destroy --delete-data --delete-namespaces removes the bucket and namespaces', async () => {
    const again = await wizard();
    expect(again.code, why(again)).toBe(0);
    expect((await status()).get('verify')).toBe('done');

    const bucket = bucketName();
    const r = await destroy(['--yes', '--delete-data', '--delete-namespaces']);
    expect(r.code, tail(r)).toBe(0);
    expect(r.stdout.text).toMatch(/^✓ import\.mistral-7b-instruct: deleted files of mistralai\/Mistral-7B-Instruct-v0\.3 in bucket /m);
    expect(await s3.listObjects(bucket, '')).toEqual([]);
    expect(names('ObjectBucketClaim')).toEqual([]);
    expect(names('Namespace')).not.toEqual(expect.arrayContaining(['llm-hosting']));
    expect(names('Namespace').filter((n) => ['llm-hosting', '3scale', 'rh-sso'].includes(n))).toEqual([]);
  });
});
