/**
 * Which progress profile a command works on (ARCHITECTURE.md "Progress"): `--profile NAME`,
 * else `demo` with `--demo`, else the API server URL of the kubeconfig's context. Reading the
 * file here needs no cluster and takes no lock (status works while a wizard runs).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../engine/errors.js';
import { parseProgress, profileSlug } from '../engine/progress-file.js';
import type { ProgressData } from '../engine/progress-file.js';
import type { CliIo } from './io.js';
import type { GlobalOptions } from './options.js';

/** A profile as openProgress takes it: a name (empty: derived from the server) and the API server URL. */
export interface ProfileRef {
  profile: string;
  server?: string;
}

/**
 * The profile from the flags, reading the kubeconfig (no network) only when neither
 * `--profile` nor `--demo` is given.
 * @throws UserError from kubeconfig loading (missing file or context; exit 2).
 */
export async function resolveProfile(opts: GlobalOptions, io: CliIo): Promise<ProfileRef> {
  if (opts.profile) return { profile: opts.profile };
  if (opts.demo) return { profile: 'demo' };
  const { loadKubeConfig } = await import('../cluster/kubeconfig.js');
  const kc = loadKubeConfig({
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    env: io.env,
  });
  const server = kc.getCurrentCluster()?.server;
  return server ? { profile: '', server } : { profile: '' };
}

/** The progress file of a profile: `<home>/profiles/<slug>.json` (same rule as openProgress). */
export function progressFile(home: string, ref: ProfileRef): string {
  return join(home, 'profiles', `${profileSlug(ref.profile, ref.server)}.json`);
}

/**
 * Reads a profile's progress without locking or writing. Undefined when there is no file.
 * @throws UserError `progress.unreadable` for a corrupt file, `progress.newer` for a newer schema (exit 2).
 */
export function readProgress(file: string): ProgressData | undefined {
  if (!existsSync(file)) return undefined;
  const outcome = parseProgress(readFileSync(file));
  if (outcome.kind === 'ok') return outcome.data;
  if (outcome.kind === 'newer') {
    throw new UserError('progress.newer', `${file} was written by a newer maas-wizard (schema version ${outcome.version})`, {
      usage: true,
      fix: 'upgrade maas-wizard or use --profile',
    });
  }
  throw new UserError('progress.unreadable', `${file} cannot be read: ${outcome.why}`, {
    usage: true,
    fix: 'run the wizard once: it moves a corrupt file aside and starts a fresh progress',
  });
}
