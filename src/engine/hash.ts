/**
 * Stable JSON and the plan hash recorded in the progress file, and the scrubbing of secret
 * values out of anything the engine emits.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level and `undefined` members left out, so equal
 * values give equal text whatever order their keys were built in.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** sha256 (hex) of the stable JSON of a plan's changes. */
export function planHash(changes: unknown): string {
  return createHash('sha256').update(stableJson(changes)).digest('hex');
}

/** What a secret value is replaced with in events and errors. */
export const REDACTED = '<redacted>';

/**
 * A deep copy of `value` in which every occurrence of one of `secrets` inside a string is
 * replaced by `<redacted>`. Plain objects and arrays are copied; other values are returned as
 * they are. Secrets shorter than 4 characters are ignored (they would blank ordinary text).
 */
export function scrub<T>(value: T, secrets: ReadonlySet<string>): T {
  const list = [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (list.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      let out = v;
      for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED);
      return out;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
