/**
 * The progress store (ARCHITECTURE.md "Progress (resume)"): one JSON file per profile under
 * `<dir>/profiles/<slug>.json`, written with `conf` (atomic writes) after every transition,
 * locked with proper-lockfile so that two wizards never share a profile.
 * Holds no secrets: the engine gives it only non-secret inputs and outputs.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Conf from 'conf';
import { BugError, UserError } from './errors.js';
import { lockProfile } from './progress-lock.js';
import { MAX_ATTEMPTS, PROGRESS_SCHEMA_VERSION, emptyProgress, parseProgress, profileSlug } from './progress-file.js';
import type { ProgressData, StepRecord } from './progress-file.js';
import { FINAL_STATES } from './types.js';
import type { EngineEvent, StepId } from './types.js';

export type { ProgressData, StepRecord } from './progress-file.js';
export { profileSlug, PROGRESS_SCHEMA_VERSION } from './progress-file.js';

/** What the engine and the CLI read and write through the store. */
export interface ProgressStore {
  /** Absolute path of the profile's progress file. */
  readonly path: string;
  /** The profile: name (given or derived slug) and API server URL. */
  readonly profile: { name: string; server?: string };
  /** Saved non-secret inputs of a step, if any. */
  inputs(step: StepId): Record<string, unknown> | undefined;
  /** Saves a step's non-secret inputs (the output of its `inputs` schema; never secret fields). */
  setInputs(step: StepId, values: Record<string, unknown>): void;
  /** What the file records about a step, if anything. */
  stepRecord(step: StepId): StepRecord | undefined;
  /**
   * Records one engine event: `state` (with attempts, errors and drift), `inputs`, `plan` (hash),
   * `outputs`, `diagnosis`. Other events are ignored. Written atomically before returning.
   */
  record(event: EngineEvent): void;
  /** Forgets what is recorded about the steps (`reset STEP`); their inputs too when `inputs` is true. */
  forget(stepIds: StepId[], options?: { inputs?: boolean }): void;
  /** A copy of the whole file content (`status`). */
  all(): ProgressData;
  /** Releases the lock. Idempotent. Writes after close throw. */
  close(): Promise<void>;
}

/** Options of openProgress. */
export interface OpenProgressOptions {
  /** Base directory (the user's config dir for maas-wizard); the file goes to `<dir>/profiles/`. */
  dir: string;
  /** Profile name from `--profile`; empty → derived from `server`. */
  profile: string;
  /** API server URL of the cluster. */
  server?: string;
  /** This build's version, written into the file. */
  wizardVersion: string;
  /** Receives notices for the person (file moved aside, migrated, lock lost). */
  onNotice?: (message: string) => void;
  /** Lock staleness in milliseconds (default 30000; the lock is refreshed at a third of it). */
  staleMs?: number;
}

/**
 * Opens (and locks) the progress of a profile.
 * - A corrupt, empty, binary or truncated file is moved aside to `<file>.corrupt-<timestamp>`
 *   with a notice, and an empty progress begins.
 * - An older schema version is migrated (notice), a step left in a non-final state other than
 *   `pending` (the wizard was interrupted) is recorded `cancelled`.
 * - The lock (src/engine/progress-lock.ts) of a wizard that no longer runs on this host is taken
 *   over at once, with a notice.
 * @throws UserError `progress.locked` when another wizard holds the profile (usage: true).
 * @throws UserError `progress.newer` when the file comes from a newer schema version (usage: true).
 */
export async function openProgress(options: OpenProgressOptions): Promise<ProgressStore> {
  const notice = options.onNotice ?? ((): void => {});
  const slug = profileSlug(options.profile, options.server);
  const profilesDir = path.resolve(options.dir, 'profiles');
  mkdirSync(profilesDir, { recursive: true });
  const file = path.join(profilesDir, `${slug}.json`);
  const pidFile = `${file}.pid`;
  const profileName = options.profile.trim() || slug;
  const staleMs = options.staleMs ?? 30_000;

  const release = await lockProfile({ file, pidFile, profileName, staleMs, notice });

  try {
    const profile = { name: profileName, ...(options.server ? { server: options.server } : {}) };
    const { data, dirty } = loadData(file, options.wizardVersion, profile, notice);
    const conf = new Conf<Record<string, unknown>>({
      cwd: profilesDir,
      configName: slug,
      fileExtension: 'json',
      accessPropertiesByDotNotation: false,
      clearInvalidConfig: false,
    });
    const store = new FileProgressStore(file, pidFile, conf, data, options.wizardVersion, release);
    // Written now only when the file is new or what was read had to change (moved aside,
    // migrated, interrupted steps marked cancelled): a run refused before its first transition
    // (bad input) leaves an existing file byte for byte.
    if (dirty) store.save();
    return store;
  } catch (err) {
    rmSync(pidFile, { force: true });
    await release();
    throw err;
  }
}

/**
 * Reads the file (if any) into version-1 data; moves a corrupt one aside; marks interrupted steps.
 * `dirty`: the data is not what the file holds (no file, moved aside, migrated, steps marked).
 */
function loadData(
  file: string,
  wizardVersion: string,
  profile: { name: string; server?: string },
  notice: (message: string) => void,
): { data: ProgressData; dirty: boolean } {
  if (!existsSync(file)) return { data: emptyProgress(wizardVersion, profile), dirty: true };
  const outcome = parseProgress(readFileSync(file));
  if (outcome.kind === 'newer') {
    throw new UserError(
      'progress.newer',
      `${file} was written by a newer maas-wizard (progress schema version ${outcome.version}; this one reads up to ${PROGRESS_SCHEMA_VERSION}): upgrade maas-wizard or use --profile`,
      { fix: 'upgrade maas-wizard, or use --profile to keep a separate progress', usage: true },
    );
  }
  if (outcome.kind === 'corrupt') {
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(file, aside);
    notice(`progress file ${file} could not be read (${outcome.why}); moved it aside to ${aside} and started with empty progress`);
    return { data: emptyProgress(wizardVersion, profile), dirty: true };
  }
  const data = outcome.data;
  if (outcome.migratedFrom !== undefined) {
    notice(`progress file ${file} migrated from schema version ${outcome.migratedFrom} to ${PROGRESS_SCHEMA_VERSION}`);
  }
  let dirty = outcome.migratedFrom !== undefined;
  const now = new Date().toISOString();
  for (const rec of Object.values(data.steps)) {
    if (FINAL_STATES.has(rec.state) || rec.state === 'pending') continue;
    dirty = true;
    rec.state = 'cancelled';
    rec.updatedAt = now;
    const last = rec.attempts.at(-1);
    if (last && last.endedAt === undefined) {
      last.state = 'cancelled';
      last.endedAt = now;
    }
  }
  data.profile = { ...data.profile, ...(profile.server ? { server: profile.server } : {}) };
  return { data, dirty };
}

class FileProgressStore implements ProgressStore {
  readonly path: string;
  #data: ProgressData;
  #closed = false;
  readonly #pidFile: string;
  readonly #conf: Conf<Record<string, unknown>>;
  readonly #wizardVersion: string;
  readonly #release: () => Promise<void>;

  constructor(
    file: string,
    pidFile: string,
    conf: Conf<Record<string, unknown>>,
    data: ProgressData,
    wizardVersion: string,
    release: () => Promise<void>,
  ) {
    this.path = file;
    this.#pidFile = pidFile;
    this.#conf = conf;
    this.#data = data;
    this.#wizardVersion = wizardVersion;
    this.#release = release;
    // Nothing is written on open: a run refused before its first transition (bad input) leaves
    // the file as it was, byte for byte; the first transition writes it (with this version).
  }

  get profile(): { name: string; server?: string } {
    return { ...this.#data.profile };
  }

  inputs(step: StepId): Record<string, unknown> | undefined {
    const v = this.#data.inputs[step];
    return v === undefined ? undefined : structuredClone(v);
  }

  setInputs(step: StepId, values: Record<string, unknown>): void {
    this.#data.inputs[step] = structuredClone(values);
    this.#write();
  }

  stepRecord(step: StepId): StepRecord | undefined {
    const r = this.#data.steps[step];
    return r === undefined ? undefined : structuredClone(r);
  }

  record(event: EngineEvent): void {
    switch (event.type) {
      case 'inputs':
        this.setInputs(event.step, event.inputs);
        return;
      case 'plan':
        this.#step(event.step, event.at).planHash = event.hash;
        break;
      case 'outputs':
        this.#step(event.step, event.at).outputs = structuredClone(event.outputs);
        break;
      case 'state':
        this.#state(event);
        break;
      case 'diagnosis':
        this.#step(event.step, event.at).diagnosis = structuredClone(event.diagnosis);
        break;
      default:
        return;
    }
    this.#write();
  }

  #step(id: StepId, at: number): StepRecord {
    let rec = this.#data.steps[id];
    if (!rec) {
      rec = { state: 'pending', attempts: [], updatedAt: new Date(at).toISOString() };
      this.#data.steps[id] = rec;
    }
    rec.updatedAt = new Date(at).toISOString();
    return rec;
  }

  #state(event: Extract<EngineEvent, { type: 'state' }>): void {
    const rec = this.#step(event.step, event.at);
    const at = new Date(event.at).toISOString();
    rec.state = event.state;
    if (event.drift !== undefined) rec.drift = { at, reason: event.drift };
    if (event.state === 'ready' || event.state === 'done') delete rec.diagnosis;
    if (event.state === 'done') delete rec.drift;
    let attempt = rec.attempts.at(-1);
    if (event.state === 'pending') return;
    if (!attempt || attempt.endedAt !== undefined) {
      attempt = { startedAt: at, state: event.state };
      rec.attempts.push(attempt);
      if (rec.attempts.length > MAX_ATTEMPTS) rec.attempts.splice(0, rec.attempts.length - MAX_ATTEMPTS);
    }
    attempt.state = event.state;
    if (FINAL_STATES.has(event.state)) {
      attempt.endedAt = at;
      if (event.error) {
        const { code, message, fix, phase } = event.error;
        attempt.error = { code, message, ...(fix ? { fix } : {}), ...(phase ? { phase } : {}) };
      }
    }
  }

  forget(stepIds: StepId[], options: { inputs?: boolean } = {}): void {
    for (const id of stepIds) {
      delete this.#data.steps[id];
      if (options.inputs) delete this.#data.inputs[id];
    }
    this.#write();
  }

  all(): ProgressData {
    return structuredClone(this.#data);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    rmSync(this.#pidFile, { force: true });
    await this.#release();
  }

  /** Writes the whole file now (used on open when what was read had to change). */
  save(): void {
    this.#write();
  }

  /** Writes the whole file through conf (atomic: temp file + rename). */
  #write(): void {
    if (this.#closed) throw new BugError(`progress file ${this.path} written after close`);
    this.#data.wizardVersion = this.#wizardVersion;
    this.#conf.store = this.#data as unknown as Record<string, unknown>;
  }
}
