/**
 * The progress file's format (ARCHITECTURE.md "Progress (resume)"): its schema, the
 * migrations from older schema versions, the profile slug, and reading a file that may be
 * corrupt. Writing and locking are in progress.ts.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { STEP_STATES } from './types.js';
import type { Attempt, Diagnosis, StepId, StepState } from './types.js';

/** The schema version this build writes and reads. */
export const PROGRESS_SCHEMA_VERSION = 1;

/** What the file records about one step. Times are ISO-8601 strings. */
export interface StepRecord {
  state: StepState;
  /** sha256 (hex) of the stable JSON of the last plan's changes. */
  planHash?: string;
  /** Non-secret outputs of the last successful verify. */
  outputs?: Record<string, unknown>;
  /** Attempts, oldest first (at most MAX_ATTEMPTS kept). */
  attempts: Attempt[];
  updatedAt: string;
  /**
   * The diagnosis of the last failure (summary, fix, suggested inputs; never secret values), so
   * the resume screen and `retry --accept-suggestion` can offer it after a restart. Cleared when
   * the step is done.
   */
  diagnosis?: Diagnosis;
  /**
   * Set when a step recorded done failed its re-verification on resume (its objects are gone or
   * changed): when, and the verify error. Cleared when the step is done again.
   */
  drift?: { at: string; reason: string };
}

/** The whole progress file, schema version 1. */
export interface ProgressData {
  schemaVersion: 1;
  wizardVersion: string;
  profile: { name: string; server?: string };
  /** Non-secret inputs per step, as the step's `inputs` schema returned them. */
  inputs: Record<StepId, Record<string, unknown>>;
  steps: Record<StepId, StepRecord>;
}

/** How many attempts per step the file keeps (the newest). */
export const MAX_ATTEMPTS = 20;

const attemptSchema = z.object({
  startedAt: z.string(),
  endedAt: z.string().optional(),
  state: z.enum(STEP_STATES),
  error: z
    .object({ code: z.string(), message: z.string(), fix: z.string().optional(), phase: z.string().optional() })
    .optional(),
});

/** zod schema of ProgressData (version 1). */
export const progressDataSchema = z.object({
  schemaVersion: z.literal(1),
  wizardVersion: z.string(),
  profile: z.object({ name: z.string(), server: z.string().optional() }),
  inputs: z.record(z.string(), z.record(z.string(), z.unknown())),
  steps: z.record(
    z.string(),
    z.object({
      state: z.enum(STEP_STATES),
      planHash: z.string().optional(),
      outputs: z.record(z.string(), z.unknown()).optional(),
      attempts: z.array(attemptSchema),
      updatedAt: z.string(),
      diagnosis: z
        .object({ summary: z.string(), fix: z.string(), suggestedInputs: z.record(z.string(), z.unknown()).optional() })
        .optional(),
      drift: z.object({ at: z.string(), reason: z.string() }).optional(),
    }),
  ),
});

type Json = Record<string, unknown>;

/**
 * Migrations: `MIGRATIONS[n]` turns a version-n file into a version-(n+1) file.
 * Version 0 is the unversioned format of pre-release builds: no `schemaVersion`,
 * `profile` a plain string, `server` at the top, inputs under `answers`, step records
 * without `attempts`/`updatedAt`.
 */
export const MIGRATIONS: Record<number, (data: Json) => Json> = {
  0: (data) => {
    const steps: Record<string, Json> = {};
    const updatedAt = new Date(0).toISOString();
    for (const [id, rec] of Object.entries(asObject(data.steps) ?? {})) {
      const r = asObject(rec) ?? {};
      steps[id] = { ...r, attempts: Array.isArray(r.attempts) ? r.attempts : [], updatedAt: r.updatedAt ?? updatedAt };
    }
    const server = typeof data.server === 'string' ? data.server : undefined;
    return {
      schemaVersion: 1,
      wizardVersion: typeof data.wizardVersion === 'string' ? data.wizardVersion : 'unknown',
      profile: { name: typeof data.profile === 'string' ? data.profile : 'default', ...(server ? { server } : {}) },
      inputs: asObject(data.answers) ?? {},
      steps,
    };
  },
};

function asObject(v: unknown): Json | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;
}

/** The outcome of reading a progress file's bytes. */
export type ReadOutcome =
  | { kind: 'ok'; data: ProgressData; migratedFrom?: number }
  | { kind: 'corrupt'; why: string }
  | { kind: 'newer'; version: number };

/**
 * Parses the bytes of a progress file, migrating older versions.
 * - empty, not UTF-8 (binary), not JSON (truncated), not an object or not matching the
 *   schema → `corrupt` with the reason;
 * - `schemaVersion` greater than PROGRESS_SCHEMA_VERSION → `newer`;
 * - older → migrated step by step through MIGRATIONS.
 * Never throws.
 */
export function parseProgress(bytes: Uint8Array): ReadOutcome {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { kind: 'corrupt', why: 'binary content' };
  }
  if (text.trim() === '') return { kind: 'corrupt', why: 'empty file' };
  if (text.includes('\u0000')) return { kind: 'corrupt', why: 'binary content' };
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return { kind: 'corrupt', why: 'not valid JSON (truncated?)' };
  }
  let data = asObject(json);
  if (!data) return { kind: 'corrupt', why: 'not a JSON object' };
  const raw = data.schemaVersion;
  const version = raw === undefined ? 0 : raw;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    return { kind: 'corrupt', why: `unknown schemaVersion ${JSON.stringify(raw)}` };
  }
  if (version > PROGRESS_SCHEMA_VERSION) return { kind: 'newer', version };
  try {
    for (let v = version; v < PROGRESS_SCHEMA_VERSION; v++) {
      const migrate = MIGRATIONS[v];
      if (!migrate) return { kind: 'corrupt', why: `no migration from schema version ${v}` };
      data = migrate(data);
    }
  } catch (err) {
    return { kind: 'corrupt', why: `migration failed: ${String(err)}` };
  }
  const parsed = progressDataSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'corrupt', why: `unexpected content at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? ''}` };
  }
  return version === PROGRESS_SCHEMA_VERSION
    ? { kind: 'ok', data: parsed.data as ProgressData }
    : { kind: 'ok', data: parsed.data as ProgressData, migratedFrom: version };
}

/**
 * A safe file name (without extension) for a profile: the profile name given with
 * `--profile`, else the API server URL, every character outside `[A-Za-z0-9._-]` replaced by
 * `_` (`https://api.example.com:6443` → `https___api.example.com_6443`). A leading dot becomes
 * `_`; names over 100 characters are shortened with a hash; nothing at all gives `default`.
 */
export function profileSlug(profile: string | undefined, server: string | undefined): string {
  const source = profile?.trim() || server?.trim() || 'default';
  let slug = source.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_');
  if (slug.length > 100) {
    slug = `${slug.slice(0, 80)}-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`;
  }
  return slug;
}

/** An empty version-1 progress for a profile. */
export function emptyProgress(wizardVersion: string, profile: { name: string; server?: string }): ProgressData {
  return { schemaVersion: 1, wizardVersion, profile, inputs: {}, steps: {} };
}
