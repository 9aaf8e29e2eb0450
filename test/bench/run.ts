/**
 * `npm run bench` (builds, then `node dist/test/bench/run.js`): runs the benchmarks, prints what
 * they measured, and writes each as JSON under `bench-results/` at the project root
 * (`bench-results/import.json`). Exit code 1 when a benchmark fails to run; never judges results.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runImportBench } from './import.js';

/** The project root: the first folder above this file with a package.json. */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const MiB = 1024 * 1024;
const out = path.join(projectRoot(), 'bench-results');

try {
  console.log('import benchmark: Hub stand-in → simulated S3 on 127.0.0.1');
  const r = await runImportBench({ log: (line) => console.log(`  ${line}`) });
  console.log('');
  console.log(`(a) throughput, ${r.throughput.bytes / MiB} MiB, ${r.throughput.partSize / MiB} MiB parts, best of ${r.throughput.rounds}:`);
  console.log(`    wizard (method local)         ${r.throughput.wizardMBps} MB/s`);
  console.log(`    plain lib-storage Upload      ${r.throughput.plainMBps} MB/s`);
  console.log(`    ratio wizard / plain          ${r.throughput.ratio}`);
  console.log(`(b) peak memory importing ${r.memory.bytes / MiB} MiB: ${(r.memory.maxRssBytes / MiB).toFixed(1)} MiB RSS (${(r.memory.baseMaxRssBytes / MiB).toFixed(1)} MiB before the copy; ${r.memory.copyMBps} MB/s)`);
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'import.json'), `${JSON.stringify({ at: new Date().toISOString(), ...r }, null, 2)}\n`);
  console.log(`written: ${path.join(out, 'import.json')}`);
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
