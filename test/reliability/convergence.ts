/**
 * Fault convergence (issue #10 item 1), one shard: a clean run of the fault profile counts the
 * writes (at run time, so new steps are covered as they are added); then for every write index N
 * of this shard (N ≡ shard mod shards), from scratch, write N fails once with a 500 and, in a
 * separate run, with a dropped connection; the wizard fails or retries; when it failed, it runs
 * again with no fault (the resume). The final state must equal the clean run's (canonical dumps,
 * src/sim/state-dump.ts) and hold no duplicate.
 *
 * Shards are separate test files (faults-<k>.test.ts) so vitest's workers run them in parallel;
 * together they cover every index; within a shard the cases run concurrently (vitest's
 * `maxConcurrency`, 5 by default). Each shard repeats the clean run (one run's CPU).
 */
import { afterAll, describe, it } from 'vitest';
import type { FaultMode } from '../../src/sim/kube/faults.js';
import { diffDumps, duplicatesIn } from './compare.js';
import { cleanBaseline, describeWrite, faultedRun } from './harness.js';

/** How many shard files there are (faults-1.test.ts … faults-SHARDS.test.ts). */
export const SHARDS = 6;

/**
 * Fault modes of the sweep: `MAAS_RELIABILITY_MODES` (comma-separated FaultModes, e.g.
 * `status-500,drop-connection,drop-after-write`), by default the two of issue #10. The third,
 * `drop-after-write` (the write happens, the answer is lost), is opt-in: it adds half again to the
 * sweep's CPU, over CI's budget.
 */
export function sweepModes(env: NodeJS.ProcessEnv = process.env): FaultMode[] {
  const known: FaultMode[] = ['status-500', 'drop-connection', 'drop-after-write'];
  const asked = (env['MAAS_RELIABILITY_MODES'] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
  const unknown = asked.filter((m) => !known.includes(m as FaultMode));
  if (unknown.length > 0) throw new Error(`MAAS_RELIABILITY_MODES: unknown mode ${unknown.join(', ')}; known: ${known.join(', ')}`);
  return asked.length > 0 ? (asked as FaultMode[]) : ['status-500', 'drop-connection'];
}

/** Milliseconds one faulted index (faulted run + resume) may take on a loaded CI machine. */
const PER_INDEX_TIMEOUT_MS = 180_000;

/** 1-based write indexes of shard `shard` (1..of) among `count` writes. */
export function shardIndexes(count: number, shard: number, of: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1).filter((n) => (n - 1) % of === shard - 1);
}

/**
 * Declares the tests of one shard (call with top-level await: the clean run must finish before
 * the tests are declared, since it decides how many there are).
 * @throws when the clean run fails (see `cleanBaseline`).
 */
export async function defineConvergenceShard(shard: number, modes: FaultMode[] = sweepModes()): Promise<void> {
  const baseline = await cleanBaseline();
  const indexes = shardIndexes(baseline.writes.length, shard, SHARDS);
  const tally = { retried: 0, resumed: 0 };
  afterAll(() => {
    console.log(
      `fault convergence shard ${shard}/${SHARDS}: ${baseline.writes.length} writes in a clean run (${baseline.tookMs} ms); ` +
        `indexes ${indexes.join(', ')} × ${modes.join(', ')}: ${tally.retried} recovered by retrying, ${tally.resumed} by resuming`,
    );
  });

  // Concurrent: each case has its own simulation and home; a run spends most of its time waiting
  // on the wizard's poll intervals, so a few at once cut the wall time, not the CPU.
  describe.concurrent(`fault convergence, shard ${shard}/${SHARDS}`, () => {
    const cases = indexes.flatMap((n) => modes.map((mode) => ({ n, mode, write: describeWrite(baseline.writes[n - 1]) })));
    it.for(cases)('write $n ($write) fails with $mode: the run fails or retries, the resume converges to the clean state', { timeout: PER_INDEX_TIMEOUT_MS }, async ({ n, mode }, { expect }) => {
      const outcome = await faultedRun(n, mode);
      expect(outcome.faulted, `write ${n} was never reached (the faulted run made fewer writes)\n${outcome.output}`).toBeDefined();
      expect([0, 1], `the faulted run must exit 0 (retried) or 1 (failed step)\n${outcome.output}`).toContain(outcome.codes[0]);
      expect(outcome.codes.at(-1), `the resume did not complete\n${outcome.output}`).toBe(0);
      if (outcome.codes.length === 1) tally.retried += 1;
      else tally.resumed += 1;
      expect(duplicatesIn(outcome.dump), `duplicates after faulting ${describeWrite(outcome.faulted)}`).toEqual([]);
      const diff = diffDumps(baseline.dump, outcome.dump);
      expect(diff, `state after faulting ${describeWrite(outcome.faulted)} (${mode}) differs from a clean run (clean → faulted):\n${diff.join('\n')}\n${outcome.output}`).toEqual([]);
    });
  });
}
