/**
 * Killed with SIGKILL (issue #10 item 1): the built CLI (`node bin/maas-wizard.js`, a child
 * process) runs the fault profile against a simulation this test process keeps running (as a real
 * cluster outlives the wizard); at 20 seeded random points, each right as the simulation receives
 * write number k, the child is killed with SIGKILL; the next start resumes. After the last kill the
 * run must complete and leave the clean run's state (canonical dumps) with no duplicate.
 *
 * The 20 points are four sequences of five kills (each sequence from scratch, compared on its own).
 * The seed is printed; `MAAS_RELIABILITY_SEED=<n>` replays one.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, it } from 'vitest';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { diffDumps, duplicatesIn } from './compare.js';
import type { Baseline, TestCluster } from './harness.js';
import { FAULT_FLAGS, cleanBaseline, describeWrite, startTestCluster } from './harness.js';

const root = join(import.meta.dirname, '../..');
const built = join(root, 'dist/src/cli/main.js');
const SEQUENCES = 4;
const KILLS_PER_SEQUENCE = 5;

/** The seed: `MAAS_RELIABILITY_SEED` or the clock. */
const seed = Number(process.env['MAAS_RELIABILITY_SEED'] ?? '') || Date.now() % 2 ** 31;

/** mulberry32: a small seeded generator of floats in [0, 1). */
function random(s: number): () => number {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function newest(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n = Math.max(n, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return n;
}

/** One child run: resolves with its exit code, `killed` when this test killed it. */
function runChild(c: TestCluster, killAt: number | undefined): Promise<{ code: number | null; killed: boolean; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bin/maas-wizard.js'), '--kubeconfig', c.kubeconfig, '--profile', 'rel', '--yes', ...FAULT_FLAGS], {
      cwd: c.home,
      env: { PATH: process.env['PATH'] ?? '', HOME: c.home, MAAS_WIZARD_HOME: c.home, NO_COLOR: '1', HF_TOKEN: DEMO_HF_TOKEN, KUBECONFIG: join(c.home, 'none') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    let killed = false;
    const off = c.faults.onWrite((w) => {
      if (killAt !== undefined && w.index >= killAt && !killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      off();
      resolve({ code, killed, output: output.slice(-2500) });
    });
  });
}

describe('SIGKILL at 20 random points', () => {
  let baseline: Baseline;
  beforeAll(async () => {
    // The child runs dist/: build it when it is missing or older than the sources.
    const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'steps')), newest(join(root, 'templates')));
    if (!existsSync(built) || statSync(built).mtimeMs < sources) {
      await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root }).catch(() => undefined);
    }
    baseline = await cleanBaseline();
    console.log(`SIGKILL test: seed ${seed} (replay with MAAS_RELIABILITY_SEED=${seed}); ${baseline.writes.length} writes in a clean run`);
  }, 600_000);

  const rng = random(seed);
  const sequences = Array.from({ length: SEQUENCES }, (_, i) => ({ sequence: i + 1, draws: Array.from({ length: KILLS_PER_SEQUENCE }, () => rng()) }));

  it.concurrent.for(sequences)('sequence $sequence: five kills, then the run completes with the clean state', { timeout: 600_000 }, async ({ draws }, { expect }) => {
    const count = baseline.writes.length;
    // Points: distinct write indexes in 1..count, increasing (later kills land in later resumes).
    const points = [...new Set(draws.map((d) => 1 + Math.floor(d * count)))].sort((a, b) => a - b);
    const c = await startTestCluster();
    try {
      const log: string[] = [];
      for (const point of points) {
        const r = await runChild(c, point);
        log.push(`kill at write ${point} (${describeWrite(c.writes[point - 1])}): ${r.killed ? 'killed' : `exited ${String(r.code)}`}`);
        expect(r.killed || r.code === 0, `a run exited ${String(r.code)} without being killed:\n${log.join('\n')}\n${r.output}`).toBe(true);
        if (!r.killed) break;
      }
      const last = await runChild(c, undefined);
      expect(last.code, `the run after the kills did not complete:\n${log.join('\n')}\n${last.output}`).toBe(0);
      const dump = await c.dump();
      expect(duplicatesIn(dump), log.join('\n')).toEqual([]);
      const diff = diffDumps(baseline.dump, dump);
      expect(diff, `state after the kills differs from a clean run (clean → after):\n${diff.join('\n')}\n${log.join('\n')}`).toEqual([]);
    } finally {
      await c.stop();
    }
  });
});
