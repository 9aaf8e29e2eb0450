/**
 * The two copies the import benchmark times, Hub stand-in → simulated S3 on loopback:
 * - `wizardCopy`: the wizard's method `local` (steps/import/copy.ts `copyModel` through the
 *   wizard's HubClient (@huggingface/hub) and S3 client (the HTTP layer), as the import step runs it);
 * - `plainCopy`: a plain `fetch` of the same file piped into a plain `@aws-sdk/lib-storage` Upload
 *   with the same part size and queue size (the floor of what a copy costs).
 * Both upload the one weights file BENCH_FILE; sizes in bytes, times in milliseconds.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createHttpLayer } from '../../src/cluster/http.js';
import { HubClient } from '../../src/cluster/huggingface.js';
import { createS3Client } from '../../src/cluster/s3.js';
import { copyModel } from '../../steps/import/copy.js';
import { BENCH_BUCKET, BENCH_FILE, BENCH_REPO } from './import-servers.js';

/** Where to copy from and to (keys in memory only). */
export interface CopyEnv {
  hubUrl: string;
  s3Url: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** One timed copy. */
export interface CopyResult {
  bytes: number;
  ms: number;
}

/** Part size of both copies: the import step's default (inputs `partSizeMiB` 16). */
export const PART_SIZE = 16 * 1024 * 1024;

/** Copies BENCH_FILE with the wizard's local method into `<BENCH_REPO>/`. @throws what copyModel throws. */
export async function wizardCopy(env: CopyEnv, bytes: number): Promise<CopyResult> {
  const http = createHttpLayer({ env: {} });
  const s3 = createS3Client({ endpoint: env.s3Url, region: 'us-east-1', accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey, http });
  const hub = new HubClient({ hubUrl: env.hubUrl, http });
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: BENCH_BUCKET, Key: `${BENCH_REPO}/${BENCH_FILE}` }));
    const started = performance.now();
    const out = await copyModel(hub, { s3, endpoint: env.s3Url, bucket: BENCH_BUCKET, repoId: BENCH_REPO, files: [{ path: BENCH_FILE, size: bytes }], partSize: PART_SIZE, signal: new AbortController().signal, progress: () => undefined });
    const ms = performance.now() - started;
    if (out.bytes !== bytes) throw new Error(`wizard copy sent ${out.bytes} bytes, expected ${bytes}`);
    return { bytes, ms };
  } finally {
    s3.destroy();
    await http.close();
  }
}

/** Copies the same file with a plain fetch + lib-storage Upload into `plain/<BENCH_REPO>/`. */
export async function plainCopy(env: CopyEnv, bytes: number): Promise<CopyResult> {
  const s3 = new S3Client({ endpoint: env.s3Url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: env.accessKeyId, secretAccessKey: env.secretAccessKey }, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
  const key = `plain/${BENCH_REPO}/${BENCH_FILE}`;
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: BENCH_BUCKET, Key: key }));
    const started = performance.now();
    const res = await fetch(`${env.hubUrl}/${BENCH_REPO}/resolve/main/${BENCH_FILE}`);
    if (!res.ok || !res.body) throw new Error(`Hub answered ${res.status}`);
    const upload = new Upload({ client: s3, params: { Bucket: BENCH_BUCKET, Key: key, Body: Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>) }, partSize: PART_SIZE, queueSize: 2 });
    await upload.done();
    return { bytes, ms: performance.now() - started };
  } finally {
    s3.destroy();
  }
}
