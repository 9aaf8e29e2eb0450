/**
 * Text formatting for the screens: durations, sizes, rates, progress bars and plans.
 * Pure functions; no terminal codes (colour is the components' business).
 */
import { stringify } from 'yaml';
import type { Change, KubeObject } from '../engine/types.js';

/** Shown instead of an elapsed time when the screen is frozen and no `now` was injected. */
export const FROZEN_ELAPSED = '--:--';

/**
 * Formats a duration given in milliseconds as `m:ss` or `h:mm:ss` (`0:05`, `12:34`, `1:02:03`).
 * Negative or non-finite input gives `0:00`.
 */
export function formatDuration(ms: number): string {
  const total = Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : 0;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * Elapsed time of something that started at `startedAt` and ended at `endedAt` (ms since epoch).
 * While it runs, `now` (ms since epoch) is the other end; without `now` (frozen screens) the
 * placeholder `FROZEN_ELAPSED` is returned, never a wall-clock-dependent value. Empty string when
 * it never started.
 */
export function formatElapsed(startedAt: number | undefined, endedAt: number | undefined, now: number | undefined): string {
  if (startedAt === undefined) return '';
  if (endedAt !== undefined) return formatDuration(endedAt - startedAt);
  return now === undefined ? FROZEN_ELAPSED : formatDuration(now - startedAt);
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Formats a size in bytes with decimal units (1 kB = 1000 B, as the Hugging Face Hub shows sizes): `4.9 GB`. */
export function formatBytes(bytes: number): string {
  let v = Math.max(0, bytes);
  let i = 0;
  while (v >= 1000 && i < UNITS.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${Math.round(v)} B` : `${v < 100 ? String(Number(v.toFixed(1))) : v.toFixed(0)} ${UNITS[i]}`;
}

/** Formats a rate in bytes per second: `12 MB/s`. */
export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * A progress bar of exactly `width` cells (at least 3) for a fraction 0..1:
 * `[████░░░░░░]`. Out-of-range fractions are clamped.
 */
export function progressBar(fraction: number, width: number): string {
  const inner = Math.max(1, width - 2);
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * inner);
  return `[${'█'.repeat(filled)}${'░'.repeat(inner - filled)}]`;
}

/** A value that already is a reference to a Secret (`<from Secret models>`) rather than a secret value. */
function isReference(v: unknown): boolean {
  return typeof v === 'string' && /^<.*>$/s.test(v);
}

/** Placeholder for a secret value that reached the screen without being replaced by a reference. */
export const HIDDEN = '<hidden>';

const SECRET_KEY = /(secret|password|passwd|token|credential|private_key|access_key)/i;

/**
 * A copy of a manifest safe to show: in a `Secret`, every `data` / `stringData` value that is
 * not already a `<from Secret …>` reference becomes `<hidden>` (types.ts says Changes carry
 * references; this is the screen's own guard).
 */
export function redactManifest(manifest: KubeObject): KubeObject {
  if (manifest.kind !== 'Secret') return manifest;
  const copy: KubeObject = { ...manifest };
  for (const field of ['data', 'stringData'] as const) {
    const values = manifest[field];
    if (values && typeof values === 'object') {
      copy[field] = Object.fromEntries(
        Object.entries(values as Record<string, unknown>).map(([k, v]) => [k, isReference(v) ? v : HIDDEN]),
      );
    }
  }
  return copy;
}

/**
 * A copy of an API call body safe to show: values under keys that name secrets (`client_secret`,
 * `password`, `access_token`, …) become `<hidden>` unless they are references. Recurses into
 * objects and arrays.
 */
export function redactBody(body: unknown): unknown {
  if (Array.isArray(body)) return body.map(redactBody);
  if (body && typeof body === 'object') {
    return Object.fromEntries(
      Object.entries(body as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && (typeof v === 'string' || typeof v === 'number') && !isReference(v) ? HIDDEN : redactBody(v),
      ]),
    );
  }
  return body;
}

const ACTION_MARK: Record<Change['action'], string> = { create: '+', update: '~', delete: '-', none: '=' };

/** Short one-line form of a value in a field diff. */
function brief(v: unknown): string {
  if (v === undefined) return '(none)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** One line of a rendered plan, with a role the components colour. */
export interface PlanLine {
  text: string;
  role: 'heading' | 'body' | 'note';
}

/**
 * The lines that show a plan: per change a heading (`+ create ObjectBucketClaim llm-hosting/models`),
 * the field diff (`  ~ spec.x: "a" → "b"`), then the manifest as YAML (through the `yaml`
 * package, secrets redacted) or the API call as `METHOD path` plus its body as YAML, then the note.
 * `none` changes get only their heading.
 */
export function planLines(changes: Change[]): PlanLine[] {
  const lines: PlanLine[] = [];
  if (changes.length === 0) lines.push({ text: 'Nothing to change.', role: 'note' });
  for (const c of changes) {
    lines.push({ text: `${ACTION_MARK[c.action]} ${c.action === 'none' ? 'unchanged' : c.action} ${c.target}`, role: 'heading' });
    if (c.action === 'none') continue;
    for (const d of c.diff ?? []) lines.push({ text: `  ~ ${d.path}: ${brief(d.from)} → ${brief(d.to)}`, role: 'body' });
    if (c.manifest) {
      for (const l of yamlLines(redactManifest(c.manifest))) lines.push({ text: `  ${l}`, role: 'body' });
    }
    if (c.call) {
      lines.push({ text: `  ${c.call.method} ${c.call.path}  (${c.call.service})`, role: 'body' });
      if (c.call.body !== undefined) {
        for (const l of yamlLines(redactBody(c.call.body))) lines.push({ text: `    ${l}`, role: 'body' });
      }
    }
    if (c.note) lines.push({ text: `  ${c.note}`, role: 'note' });
  }
  return lines;
}

function yamlLines(value: unknown): string[] {
  return stringify(value, { lineWidth: 0 }).trimEnd().split('\n');
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;

/** Removes SGR (colour and style) escape sequences, keeping cursor and erase sequences. */
export function withoutColor(text: string): string {
  return text.replace(SGR, '');
}

/**
 * An output stream that forwards everything to `stream` but writes text without colours or
 * styles: how the screen honours `NO_COLOR` (no-color.org) whatever the colour library decides.
 */
export function colorlessStream<T extends NodeJS.WritableStream>(stream: T): T {
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') {
        return (chunk: unknown, ...rest: unknown[]) =>
          (target.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? withoutColor(chunk) : chunk, ...rest);
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
