/**
 * What the import steps share (STAGES.md §4): the settings the `import` step decides and hands to
 * the per-model steps through its outputs, and the clients both build from them (the Hub with the
 * token, S3 with the storage Secret's keys, read from the cluster and kept in memory only).
 */
import type { Services } from '../../src/cluster/services.js';
import { HubClient } from '../../src/cluster/huggingface.js';
import { createS3Client } from '../../src/cluster/s3.js';
import { UserError } from '../../src/engine/errors.js';
import type { StepContext } from '../../src/engine/types.js';
import { decodeSecret } from '../storage/refs.js';
import type { StorageOutputs } from '../storage/step.js';
import { storedToken } from './token.js';

/** One mebibyte in bytes (part sizes are given in MiB). */
export const MiB = 1024 * 1024;

/**
 * The import settings, as the `import` step's outputs carry them to every `import.<model>` step
 * (no secret: the token stays in Secret `tokenSecret`). Part size in MiB, timeout in minutes.
 */
export interface ImportSettings {
  bucket: string;
  /** Repo ids chosen for this run; a per-model step whose model is not among them imports nothing. */
  selected: string[];
  method: 'job' | 'local' | 'workbench';
  hubUrl: string;
  tokenSecret: string;
  importerImage: string;
  jobTimeoutMinutes: number;
  partSizeMiB: number;
  /** Models copied at the same time (the per-model steps share this cap). */
  concurrency: number;
}

type AnyCtx = StepContext<unknown, Services>;

/** The token: the secret input when this step has one, else the one kept in the project's Secret. */
export async function tokenOf(ctx: AnyCtx, namespace: string, tokenSecret: string): Promise<string | undefined> {
  return ctx.secrets['hfToken'] || (await storedToken(ctx.services.kube, namespace, tokenSecret));
}

/** A Hub client on `hubUrl` through the one HTTP layer, with the token when there is one. */
export function hubClient(ctx: AnyCtx, hubUrl: string, token: string | undefined): HubClient {
  return new HubClient({ hubUrl, http: ctx.services.http, signal: ctx.signal, ...(token ? { token } : {}) });
}

/**
 * An S3 client with the storage Secret's keys (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`), on
 * the endpoint reachable from this machine. Call `destroy()` when done.
 * @throws UserError `storage.keys-missing` when the Secret lacks the keys.
 */
export async function s3For(ctx: AnyCtx, namespace: string, storage: StorageOutputs): Promise<ReturnType<typeof createS3Client>> {
  const keys = decodeSecret(await ctx.services.kube.get('v1', 'Secret', storage.secretName, namespace));
  if (!keys?.['AWS_ACCESS_KEY_ID'] || !keys['AWS_SECRET_ACCESS_KEY']) {
    throw new UserError('storage.keys-missing', `Secret ${namespace}/${storage.secretName} lacks the S3 keys`, { fix: 'run the storage step again' });
  }
  return createS3Client({ endpoint: storage.externalEndpoint, region: storage.region, accessKeyId: keys['AWS_ACCESS_KEY_ID'], secretAccessKey: keys['AWS_SECRET_ACCESS_KEY'], http: ctx.services.http });
}

/** The data connection's Secret name (the importer Job's `envFrom` and the workbench's connection). */
export function connectionName(ctx: AnyCtx): string {
  const name = ctx.outputs('data-connection')?.['name'];
  return typeof name === 'string' && name !== '' ? name : 'aws-connection-models';
}

/**
 * The `import` step's outputs.
 * @throws UserError `import.not-done` when it has not run.
 */
export function importSettings(ctx: AnyCtx): ImportSettings {
  const out = ctx.outputs('import') as ImportSettings | undefined;
  if (!out?.selected) throw new UserError('import.not-done', 'the import step (import) has not run', { fix: 'run `maas-wizard retry import` first' });
  return out;
}
