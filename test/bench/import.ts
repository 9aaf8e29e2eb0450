/**
 * The import benchmark (issue 5, "Done means"): not a test, no assertions.
 * (a) throughput of the wizard's local method vs a plain lib-storage Upload of the same bytes from
 *     the same Hub stand-in to the same simulated S3 on loopback (MB/s = 10^6 bytes per second,
 *     best of `rounds` each, alternating, and the ratio wizard / plain);
 * (b) the wizard's peak memory (RSS high-water mark, VmHWM, of a child process) while importing a 1 GiB
 *     file generated on the fly by the Hub stand-in.
 * Sizes in bytes; BENCH_IMPORT_MIB and BENCH_MEMORY_MIB override the defaults (256 and 1024 MiB).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PART_SIZE, plainCopy, wizardCopy } from './import-copy.js';
import type { CopyResult } from './import-copy.js';
import { startBenchServers } from './import-servers.js';

const MiB = 1024 * 1024;

/** What the benchmark found. Rates in MB/s (10^6 bytes/s), memory in bytes. */
export interface ImportBenchResult {
  throughput: { bytes: number; partSize: number; rounds: number; wizardMBps: number; plainMBps: number; ratio: number; wizardMs: number[]; plainMs: number[] };
  memory: { bytes: number; partSize: number; baseMaxRssBytes: number; maxRssBytes: number; copyMBps: number };
  node: string;
  cpus: number;
}

const mbps = (r: CopyResult): number => r.bytes / 1e6 / (r.ms / 1000);
const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

/** Runs the child (import-child.js next to this file) and parses its JSON line. @throws when it exits non-zero. */
function measureInChild(env: Record<string, string>): Promise<{ baseMaxRssBytes: number; maxRssBytes: number; bytes: number; ms: number }> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./import-child.js', import.meta.url))], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim()) as Awaited<ReturnType<typeof measureInChild>>) : reject(new Error(`memory child exited ${code}`))));
  });
}

/**
 * Runs both parts. `log` gets one line per measure as it is taken.
 * @throws when a copy fails (the stand-ins are stopped first).
 */
export async function runImportBench(options: { throughputBytes?: number; memoryBytes?: number; rounds?: number; log?: (line: string) => void } = {}): Promise<ImportBenchResult> {
  const log = options.log ?? (() => undefined);
  const tBytes = options.throughputBytes ?? Number(process.env['BENCH_IMPORT_MIB'] ?? 256) * MiB;
  const mBytes = options.memoryBytes ?? Number(process.env['BENCH_MEMORY_MIB'] ?? 1024) * MiB;
  const rounds = options.rounds ?? 2;

  const servers = await startBenchServers(tBytes);
  const wizard: CopyResult[] = [];
  const plain: CopyResult[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const w = await wizardCopy(servers, tBytes);
      wizard.push(w);
      log(`round ${i + 1}: wizard (method local) ${round(mbps(w))} MB/s`);
      const p = await plainCopy(servers, tBytes);
      plain.push(p);
      log(`round ${i + 1}: plain fetch + lib-storage Upload ${round(mbps(p))} MB/s`);
    }
  } finally {
    await servers.stop();
  }
  const wizardMBps = Math.max(...wizard.map(mbps));
  const plainMBps = Math.max(...plain.map(mbps));

  const big = await startBenchServers(mBytes);
  let measured: Awaited<ReturnType<typeof measureInChild>>;
  try {
    measured = await measureInChild({ BENCH_HUB_URL: big.hubUrl, BENCH_S3_URL: big.s3Url, BENCH_S3_KEY_ID: big.accessKeyId, BENCH_S3_SECRET: big.secretAccessKey, BENCH_BYTES: String(mBytes) });
  } finally {
    await big.stop();
  }
  log(`memory: peak RSS ${round(measured.maxRssBytes / MiB)} MiB importing ${round(mBytes / MiB, 0)} MiB (${round(measured.baseMaxRssBytes / MiB)} MiB before the copy)`);

  return {
    throughput: { bytes: tBytes, partSize: PART_SIZE, rounds, wizardMBps: round(wizardMBps), plainMBps: round(plainMBps), ratio: round(wizardMBps / plainMBps, 2), wizardMs: wizard.map((r) => Math.round(r.ms)), plainMs: plain.map((r) => Math.round(r.ms)) },
    memory: { bytes: mBytes, partSize: PART_SIZE, baseMaxRssBytes: measured.baseMaxRssBytes, maxRssBytes: measured.maxRssBytes, copyMBps: round(mbps(measured)) },
    node: process.version,
    cpus: (await import('node:os')).availableParallelism(),
  };
}
