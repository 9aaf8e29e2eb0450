/**
 * `npm run bench` (builds, then `node dist/test/bench/run.js`): runs the benchmarks, prints one
 * table of what they measured, and writes it as JSON to `bench-results/bench.json` at the project
 * root (the import benchmark's own figures also to `bench-results/import.json`). Not a test: exit
 * code 1 only when a benchmark fails to run; results are never judged.
 *
 * Measures (issue #10 item 5): startup of `--version` and of the first interactive frame against
 * `node -e 0` (startup.ts); a full demo on `instant` timing (demo-runs.ts); full runs on `realistic`
 * timing at speed BENCH_SPEED (default 60) with the configured concurrency and with
 * `--concurrency 1`, against the critical-path bound (critical-path.ts); import throughput and
 * peak memory (import.ts; BENCH_IMPORT_MIB default 96 here, BENCH_MEMORY_MIB default 512 here).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allSteps } from '../../steps/index.js';
import { loadCatalog } from '../../steps/import/catalog.js';
import { criticalPath, describePath } from './critical-path.js';
import type { WeightedNode } from './critical-path.js';
import { runInstant, runRealistic } from './demo-runs.js';
import { runImportBench } from './import.js';
import { runStartupBench } from './startup.js';

/** The project root: the first folder above this file with a package.json. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const MiB = 1024 * 1024;
const root = projectRoot();
const out = path.join(root, 'bench-results');
const speed = Number(process.env['BENCH_SPEED'] ?? 60);
const log = (line: string): void => console.log(`  ${line}`);
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The step graph of the default models, with each serving step's runtime (for its weight). */
function graphNodes(): WeightedNode[] {
  const catalog = loadCatalog();
  return allSteps().map((step) => {
    const model = step.id.startsWith('serving.') ? catalog.find((m) => `serving.${m.name}` === step.id) : undefined;
    return { id: step.id, needs: step.needs, ...(model ? { runtime: model.runtime } : {}) };
  });
}

try {
  const benchStarted = performance.now();
  console.log('startup (child processes):');
  const startup = await runStartupBench(path.join(root, 'bin', 'maas-wizard.js'), { log });
  console.log('full demo, instant timing:');
  const instant = await runInstant();
  log(`${s(instant.wallMs)}, ${instant.requests} requests`);
  const nodes = graphNodes();
  const bound = criticalPath(nodes, speed);
  console.log(`full runs, realistic timing at speed ${speed}:`);
  const configured = await runRealistic(speed);
  log(`configured concurrency: ${s(configured.wallMs)}, ${configured.requests} requests`);
  const serial = await runRealistic(speed, 1);
  log(`--concurrency 1: ${s(serial.wallMs)}, ${serial.requests} requests`);
  console.log('import (Hub stand-in → simulated S3 on 127.0.0.1):');
  // Smaller than import.ts's own defaults (256 / 1024 MiB) so the whole bench stays under five
  // minutes on two cores; the peak memory still shows whether it grows with the file (parts of 16 MiB).
  const imp = await runImportBench({
    log,
    throughputBytes: Number(process.env['BENCH_IMPORT_MIB'] ?? 96) * MiB,
    memoryBytes: Number(process.env['BENCH_MEMORY_MIB'] ?? 512) * MiB,
  });
  const totalMs = performance.now() - benchStarted;

  const rows: [string, string, string][] = [
    ['node -e 0', `${startup.nodeMs} ms`, 'floor'],
    ['maas-wizard --version', `${startup.versionMs} ms`, `${startup.versionRatio}× node -e 0`],
    ['first interactive frame (--demo, pty)', startup.firstFrameMs === null ? 'n/a' : `${startup.firstFrameMs} ms`, startup.firstFrameRatio === null ? 'no pseudo-terminal' : `${startup.firstFrameRatio}× node -e 0`],
    ['demo, instant timing', s(instant.wallMs), `${instant.requests} requests (${instant.writes} writes), peak ${instant.peakPerSecond}/s`],
    [`demo, realistic ×${speed}, configured concurrency`, s(configured.wallMs), `${configured.requests} requests; bound ${bound.seconds.toFixed(1)} s → ${(configured.wallMs / 1000 / bound.seconds).toFixed(2)}× bound`],
    [`demo, realistic ×${speed}, --concurrency 1`, s(serial.wallMs), `${serial.requests} requests; serial bound ${bound.serialSeconds.toFixed(1)} s → ${(serial.wallMs / 1000 / bound.serialSeconds).toFixed(2)}× bound`],
    ['import throughput (wizard, local)', `${imp.throughput.wizardMBps} MB/s`, `plain lib-storage ${imp.throughput.plainMBps} MB/s, ratio ${imp.throughput.ratio} (${imp.throughput.bytes / MiB} MiB)`],
    ['import peak memory', `${(imp.memory.maxRssBytes / MiB).toFixed(0)} MiB RSS`, `copying ${imp.memory.bytes / MiB} MiB; ${(imp.memory.baseMaxRssBytes / MiB).toFixed(0)} MiB before`],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log('');
  console.log(`${'measure'.padEnd(w0)}  ${'value'.padEnd(w1)}  notes`);
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  console.log(`critical path (simulated s): ${describePath(nodes, bound.path)}`);
  console.log(`bench took ${s(totalMs)}`);

  mkdirSync(out, { recursive: true });
  const at = new Date().toISOString();
  const result = {
    at,
    node: process.version,
    cpus: imp.cpus,
    startup,
    instant,
    realistic: {
      speed,
      configured,
      concurrency1: serial,
      bound: { seconds: Math.round(bound.seconds * 10) / 10, serialSeconds: Math.round(bound.serialSeconds * 10) / 10, path: bound.path },
    },
    import: { throughput: imp.throughput, memory: imp.memory },
    tookMs: Math.round(totalMs),
  };
  writeFileSync(path.join(out, 'bench.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(path.join(out, 'import.json'), `${JSON.stringify({ at, ...imp }, null, 2)}\n`);
  console.log(`written: ${path.join(out, 'bench.json')}`);
  // Let a library's open handle (a keep-alive socket) not hold the process.
  process.exit(0);
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
