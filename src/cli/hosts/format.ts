/**
 * Plain-text renderings shared by the line host, `plan` and `status`: a planned change, a
 * progress report, byte sizes and durations. No colours (listr2 and the terminal add them).
 */
import type { Change, Progress } from '../../engine/types.js';

/** One line per change: `create InferenceService llm-hosting/mistral`, then `  path: from → to` per field for updates. */
export function describeChange(change: Change): string[] {
  const what = change.call ? `${change.target} (${change.call.method} ${change.call.path})` : change.target;
  const head = `${change.action === 'none' ? 'unchanged' : change.action} ${what}${change.note ? ` — ${change.note}` : ''}`;
  const diff = (change.diff ?? []).map((d) => `  ${d.path}: ${short(d.from)} → ${short(d.to)}`);
  return [head, ...diff];
}

/** `1.5 GB`, `12 MB`, `900 B` (decimal units, as download tools show them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A duration in milliseconds as `850 ms`, `12 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A progress report as one line: `mistral: 42% 1.2 GB of 2.9 GB, 150 MB/s — copying`. */
export function describeProgress(p: Progress): string {
  const parts: string[] = [];
  if (p.fraction !== undefined) parts.push(`${Math.round(p.fraction * 100)}%`);
  if (p.bytesDone !== undefined) parts.push(p.bytesTotal !== undefined ? `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}` : formatBytes(p.bytesDone));
  if (p.bytesPerSecond !== undefined) parts.push(`${formatBytes(p.bytesPerSecond)}/s`);
  const body = parts.join(' ');
  const text = [body, p.message].filter((x) => x && x.length > 0).join(' — ');
  return `${p.item ? `${p.item}: ` : ''}${text || 'working'}`;
}

function short(v: unknown): string {
  const s = v === undefined ? '(none)' : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
