/**
 * Findings of the reliability sweep whose root cause is in another area's code, each as a test
 * that shows it. Marked `it.fails` while the bug stands (so the suite stays green and the bug
 * stays visible): when the owner fixes it, the test starts failing and `.fails` must go.
 *
 * F1 (steps/verify/gateway.ts, the rate-limit burst): 3scale counts limits per calendar period
 * (a `minute` limit resets at the start of every UTC minute; src/sim/threescale/usage.ts does the
 * same). The burst sends `limit + 5` requests and expects a 429 among them; when a minute starts
 * during the burst the count starts again and no 429 comes, so the end-to-end check fails although
 * the limit is enforced. Seen in the fault sweep under load (7 of 158 runs, always "burst of up to
 * 65 requests (limits 60/minute): … no 429 after 65 requests (last 200)"). Suggested fix: note the
 * UTC minute (period) at the burst's start; when no 429 came and the period changed during the
 * burst, send the burst again once (or wait for a new period when the rest of this one is shorter
 * than the burst takes). Fixed: the check reads a clock (here the gateway's virtual one) and bursts
 * once more when the UTC minute changed during a burst that saw no 429.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CheckLog } from '../../steps/verify/checks.js';
import { checkGateway } from '../../steps/verify/gateway.js';
import type { ServedProduct } from '../../steps/verify/types.js';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openProgress } from '../../src/engine/progress.js';
import { tempDir } from '../cli/helpers.js';
import { duplicatesIn } from './compare.js';
import { FAULT_FLAGS, startTestCluster } from './harness.js';

const PROJECT_ROOT = resolve(import.meta.dirname, '../..');

const product: ServedProduct = {
  served: true, modelId: 'mistralai/Mistral-7B-Instruct-v0.3', model: 'mistral-7b-instruct', servedModelName: 'mistral-7b-instruct', api: 'chat',
  serviceId: 3, systemName: 'mistral_7b_instruct', applicationPlan: 'Standard', applicationPlanId: 9,
  productionUrl: 'https://mistral-7b-instruct-maas-apicast-production.apps.example', bearerMode: 'authorization',
};

/**
 * A gateway that enforces `limit` hits per calendar minute, as APIcast with 3scale backend does,
 * on a virtual clock that starts `startSecond` seconds into a minute and advances half a second per
 * request.
 */
function minuteLimitedGateway(limit: number, startSecond: number): { fetch: typeof fetch; now: () => number } {
  let clock = startSecond;
  const hits = new Map<number, number>();
  const fetchFn = (async (_url: string | URL | Request, init?: RequestInit) => {
    const minute = Math.floor(clock / 60);
    clock += 0.5;
    const headers = new Headers(init?.headers);
    if (init?.method === 'OPTIONS') return new Response(null, { status: 204, headers: { 'access-control-allow-origin': '*' } });
    if (!headers.get('authorization')) return new Response('Authentication parameters missing', { status: 403 });
    const count = (hits.get(minute) ?? 0) + 1;
    if (count > limit) return new Response('Limits exceeded', { status: 429 });
    hits.set(minute, count);
    const body = String(init?.body ?? '').includes('messages')
      ? { choices: [{ message: { content: 'hello' } }] }
      : { data: [{ id: product.servedModelName }] };
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  // The check reads the same virtual clock (milliseconds) to see a minute change during its burst.
  return { fetch: fetchFn, now: () => clock * 1000 };
}

async function burstResult(startSecond: number): Promise<{ ok: boolean; got: string }> {
  const log = new CheckLog(() => undefined, () => ['key-1']);
  const gateway = minuteLimitedGateway(60, startSecond);
  await checkGateway(log, gateway.fetch, { product, key: 'key-1', runtime: 'vllm', limits: [{ period: 'minute', value: 60 }], now: gateway.now }, new AbortController().signal);
  const burst = log.checks.find((c) => c.what.includes('burst'));
  return { ok: burst?.ok ?? false, got: burst?.got ?? 'no burst check' };
}

describe('F1: the rate-limit burst of the end-to-end check and the calendar minute', () => {
  it('a burst within one minute trips the limit (the check works when no minute starts during it)', async () => {
    const r = await burstResult(0);
    expect(r.ok, r.got).toBe(true);
  });

  it('a burst during which a new minute starts still finds the limit enforced (fixed: bursts again once)', async () => {
    const r = await burstResult(45);
    expect(r.ok, r.got).toBe(true);
  });
});

/**
 * F2 (src/cluster/threescale/http.ts, retries): the 3scale client retries every request on a 5xx
 * or a connection error, POSTs that create included. When the create happened and only the answer
 * was lost (fault mode `drop-after-write`), the retry creates a second one: a second mapping rule
 * (each request then counts twice in the hits) and a second application plan `Standard`.
 * Suggested fix: retry a create only after looking for what it would create (mapping rule by
 * method + pattern, plan / backend / product by system name), or not at all after the request was
 * sent. (The simulated 3scale also lets two application plans of one product share a system name,
 * which real 3scale refuses with 422 "has already been taken": src/sim/threescale/model.ts
 * `createPlan` lacks the `ensureFreeSystemName` check the products and backends have.)
 * Fixed: a POST is retried only when nothing can have been written (connection never made,
 * 502/503/504); otherwise the run fails and the next one finds the create by name. createPlan
 * refuses a taken system name.
 */
// Before the fix it failed intermittently (the client retried only some of the connection errors
// a lost answer gives: duplicates in 2 of 3 runs); since, every run passes.
describe('F2: a create whose answer is lost is not made twice', () => {
  let outcome: { armed: string[]; code: number; output: string; duplicates: string[] };
  beforeAll(async () => {
    const c = await startTestCluster();
    try {
      const armed = new Set<string>();
      c.faults.onWrite((w) => {
        const kind = /\/proxy\/mapping_rules\.json$/.test(w.path) ? 'rule' : /\/application_plans\.json$/.test(w.path) && w.method === 'POST' ? 'plan' : undefined;
        if (kind && w.service === '3scale' && !armed.has(kind)) {
          armed.add(kind);
          c.faults.failWriteAt(w.index, 'drop-after-write');
        }
      });
      // A create whose answer was lost is not sent again: that run fails and the next one finds
      // what was made by name. Two lost answers: at most three runs.
      let last = await c.wizard(FAULT_FLAGS);
      for (let run = 2; run <= 3 && last.code !== 0; run++) last = await c.wizard(FAULT_FLAGS);
      outcome = { armed: [...armed].sort(), code: last.code, output: last.stdout.text.slice(-2000), duplicates: duplicatesIn(await c.dump()) };
    } finally {
      await c.stop();
    }
  }, 180_000);

  it('the lost answers hit a mapping rule POST and an application plan POST, and the run completes', () => {
    expect(outcome.armed).toEqual(['plan', 'rule']);
    expect(outcome.code, outcome.output).toBe(0);
  });

  it('one mapping rule and one application plan each (fixed: a create is not retried once sent)', () => {
    expect(outcome.duplicates).toEqual([]);
  });
});

/**
 * F3 (src/engine/progress.ts `openProgress`): the profile lock (proper-lockfile, stale after
 * 30 s) outlives a wizard killed with SIGKILL (or a crash): for up to 30 s the next start is
 * refused with "another maas-wizard is running on profile … (pid N)" although pid N is gone.
 * Suggested fix: on ELOCKED, when the pid file names a process that does not exist
 * (`process.kill(pid, 0)` throws ESRCH; same host), the lock is stale: unlock and lock again.
 * Fixed in src/engine/progress-lock.ts.
 */
/** Starts a process that locks profile `rel` under `home` as openProgress does; resolves once it holds the lock. */
async function lockHolder(home: string): Promise<ReturnType<typeof spawn>> {
  const file = join(home, 'profiles', 'rel.json');
  mkdirSync(join(home, 'profiles'), { recursive: true });
  // Locks the profile as openProgress does (same file, options) and writes its pid file.
  const script = `const l=require('proper-lockfile');const fs=require('fs');l.lock(${JSON.stringify(file)},{realpath:false,stale:30000,update:10000}).then(()=>{fs.writeFileSync(${JSON.stringify(`${file}.pid`)},String(process.pid));console.log('locked');setInterval(()=>{},1000);});`;
  const holder = spawn(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((done, fail) => {
    holder.stdout?.on('data', (d: Buffer) => d.toString().includes('locked') && done());
    holder.on('exit', () => fail(new Error('the holder exited before locking')));
  });
  return holder;
}

function kill(holder: ReturnType<typeof spawn>): Promise<void> {
  return new Promise<void>((done) => {
    holder.on('exit', () => done());
    holder.kill('SIGKILL');
  });
}

describe('F3: a profile locked by a killed wizard', () => {
  it('while the holder lives, the profile is refused (progress.locked): the lock works', async () => {
    const home = tempDir('maas-rel-lock-');
    const holder = await lockHolder(home);
    try {
      await expect(openProgress({ dir: home, profile: 'rel', wizardVersion: '0.0.0' })).rejects.toMatchObject({ code: 'progress.locked' });
    } finally {
      await kill(holder);
    }
  });

  it('opens at once after the holder was killed (fixed: a dead holder\'s lock is taken over)', async () => {
    const home = tempDir('maas-rel-lock-');
    await kill(await lockHolder(home));
    const progress = await openProgress({ dir: home, profile: 'rel', wizardVersion: '0.0.0' });
    await progress.close();
  });
});
