/**
 * Child process of the import benchmark's memory measure: imports the Hub stand-in's weights
 * file with the wizard's local method (import-copy.ts `wizardCopy`) and prints one JSON line
 * `{ baseMaxRssBytes, maxRssBytes, bytes, ms }`: the RSS high-water mark before the copy (modules
 * loaded) and after it. On Linux it is `VmHWM` of /proc/self/status (this process's own memory);
 * `process.resourceUsage().maxRSS` (kilobytes) is the fallback, but Linux carries the parent's
 * high-water mark over fork + exec into it, so the parent's size would show instead of ours.
 * BENCH_METHOD `plain` measures the plain fetch + lib-storage Upload instead (the reference).
 * Reads BENCH_HUB_URL, BENCH_S3_URL, BENCH_BYTES and the keys BENCH_S3_KEY_ID / BENCH_S3_SECRET
 * from the environment (not argv: keys stay out of the process list).
 */
import { readFileSync } from 'node:fs';
import { plainCopy, wizardCopy } from './import-copy.js';

/** RSS high-water mark of this process in bytes. */
function peakRss(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1]) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS * 1024;
}

const need = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (this file is started by test/bench/import.ts)`);
  return v;
};

const baseMaxRssBytes = peakRss();
const copy = process.env['BENCH_METHOD'] === 'plain' ? plainCopy : wizardCopy;
const result = await copy({ hubUrl: need('BENCH_HUB_URL'), s3Url: need('BENCH_S3_URL'), accessKeyId: need('BENCH_S3_KEY_ID'), secretAccessKey: need('BENCH_S3_SECRET') }, Number(need('BENCH_BYTES')));
process.stdout.write(`${JSON.stringify({ baseMaxRssBytes, maxRssBytes: peakRss(), bytes: result.bytes, ms: result.ms })}\n`);
