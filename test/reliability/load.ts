/**
 * Load on the cluster (issue #10 item 4): what a whole wizard run asks of the simulated cluster,
 * from the simulation's request log (src/sim/kube/record.ts): total requests, by service, the
 * peak requests in any one-second window, and the path requested most often (a polling loop
 * that does not back off shows there first). `measureLoad` and `runLoadProfile` are what the
 * benchmark (test/bench) can reuse to print these numbers.
 */
import type { RequestLogEntry } from '../../src/sim/kube/record.js';
import { isWriteRequest } from '../../src/sim/kube/faults.js';
import { startTestCluster } from './harness.js';

/** The load of one run. Times in milliseconds. */
export interface LoadReport {
  /** Requests to every simulated service. */
  total: number;
  /** State-changing requests (src/sim/kube/faults.ts `isWriteRequest`). */
  writes: number;
  /** Requests per service (`kubernetes`, `keycloak`, `3scale`, `s3`, `huggingface`, `model`). */
  byService: Record<string, number>;
  /** Most requests in any window of 1000 ms. */
  peakPerSecond: number;
  /** The path (query left out, ids kept) requested most often, and how often. */
  hottest: { request: string; count: number };
  /** From the first to the last request. */
  spanMs: number;
}

/** Computes the load of a request log's entries (any order). Throws nothing; an empty log gives zeros. */
export function measureLoad(entries: readonly RequestLogEntry[]): LoadReport {
  const times = entries.map((e) => Date.parse(e.at)).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= 1000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  const byService: Record<string, number> = {};
  const byRequest = new Map<string, number>();
  for (const e of entries) {
    byService[e.service] = (byService[e.service] ?? 0) + 1;
    const key = `${e.method} ${e.service} ${e.path.replace(/\?.*$/, '')}`;
    byRequest.set(key, (byRequest.get(key) ?? 0) + 1);
  }
  const hottest = [...byRequest.entries()].reduce<{ request: string; count: number }>((best, [request, count]) => (count > best.count ? { request, count } : best), { request: '', count: 0 });
  return {
    total: entries.length,
    writes: entries.filter((e) => isWriteRequest(e.method, e.path, e.service)).length,
    byService,
    peakPerSecond: peak,
    hottest,
    spanMs: times.length > 0 ? (times.at(-1) ?? 0) - (times[0] ?? 0) : 0,
  };
}

/**
 * One whole run of the wizard against a fresh simulated cluster (every backend, instant timing,
 * the guide's three models, the default concurrency, rate limits of 1000 per minute so the
 * end-to-end check sends no burst) and its load. `importMethod` `local` copies
 * from this process; `job` (the demo's default) runs the in-cluster import Job.
 * @throws when the run does not exit 0 (its output's end in the message).
 */
export async function runLoadProfile(options: { importMethod?: 'local' | 'job' } = {}): Promise<LoadReport & { tookMs: number }> {
  // Limits the end-to-end check does not burst: its burst is flaky across a minute boundary (findings.test.ts F1).
  const limits = Object.fromEntries(['granite-8b-code-instruct', 'mistral-7b-instruct', 'nomic-embed-text'].map((m) => [`policies.${m}`, { rateLimitPerMinute: 1000 }]));
  const c = await startTestCluster({ replaceAnswers: true, extraAnswers: { import: { method: options.importMethod ?? 'local' }, ...limits } });
  try {
    const started = Date.now();
    const r = await c.wizard(['--answers', 'answers.yaml']);
    const tookMs = Date.now() - started;
    if (r.code !== 0) throw new Error(`the run exited ${r.code}:\n${r.stdout.text.slice(-3000)}\n${r.stderr.text.slice(-1500)}`);
    return { ...measureLoad(c.sim.requestLog.entries()), tookMs };
  } finally {
    await c.stop();
  }
}

/** The report as lines for a benchmark's output. */
export function loadLines(r: LoadReport & { tookMs?: number }): string[] {
  return [
    `requests: ${r.total} (${r.writes} writes) in ${(r.spanMs / 1000).toFixed(1)} s`,
    `by service: ${Object.entries(r.byService).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${n}`).join(', ')}`,
    `peak: ${r.peakPerSecond} requests in one second`,
    `most requested: ${r.hottest.count}× ${r.hottest.request}`,
  ];
}
