/**
 * Typed access to `s3rver` (npm, a Koa application speaking the S3 REST protocol over a
 * filesystem store). It ships no TypeScript types; only what this simulation uses is declared.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';

const require = createRequire(import.meta.url);

/** An object as s3rver's store lists it (lib/models/object.js). */
export interface S3rverObject {
  key: string;
  /** Bytes. */
  size: number;
  lastModifiedDate: Date;
  metadata: Record<string, string | undefined>;
}

/** s3rver's FilesystemStore (lib/stores/filesystem.js). */
export interface S3rverStore {
  getBucket(name: string): Promise<{ name: string } | null>;
  putBucket(name: string): Promise<unknown>;
  listObjects(
    bucket: string,
    options: { prefix?: string; delimiter?: string; startAfter?: string; maxKeys?: number },
  ): Promise<{ objects: S3rverObject[]; commonPrefixes: string[]; isTruncated: boolean }>;
  /** Path of a bucket resource; `(bucket, undefined, 'uploads')` is the folder of multipart uploads. */
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
}

/** The s3rver Koa application (lib/s3rver.js), used in-process through `callback()`. */
export interface S3rverApp {
  store: S3rverStore;
  silent: boolean;
  logger: { close(): void };
  callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  on(event: 'error', listener: (err: unknown) => void): void;
}

type S3rverCtor = new (options: Record<string, unknown>) => S3rverApp;
interface AccountModule {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
}

/**
 * Creates an s3rver application over `directory` (buckets are its sub-directories) that accepts
 * `accessKeyId` (s3rver keeps one process-wide key registry; the simulation checks the key and
 * the SigV4 signature itself before a request reaches s3rver).
 */
export function createS3rverApp(directory: string, accessKeyId: string, secretAccessKey: string): S3rverApp {
  const S3rver = require('s3rver') as S3rverCtor;
  const account = require('s3rver/lib/models/account') as AccountModule;
  account.DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
  const app = new S3rver({ directory, silent: true, vhostBuckets: false, resetOnClose: false, configureBuckets: [] });
  app.silent = true;
  return app;
}
