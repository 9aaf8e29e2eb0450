/**
 * Import method `local` (STAGES.md §4 b): stream each file from the Hub into the bucket from this
 * machine, file after file, through lib-storage's `Upload` (multipart above one part); a file is
 * never held whole in memory (at most `queueSize × partSize` bytes of it). Files already in
 * `s3://<bucket>/<repo id>/` with the Hub's size are skipped (resume).
 */
import { Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { HubClient, HubFile } from '../../src/cluster/huggingface.js';
import { listObjectSizes, uploadStream } from '../../src/cluster/s3.js';
import type { Progress } from '../../src/engine/types.js';

/** Where and how one model is copied. Sizes in bytes. */
export interface CopyTarget {
  s3: S3Client;
  endpoint: string;
  bucket: string;
  repoId: string;
  files: readonly HubFile[];
  partSize: number;
  signal: AbortSignal;
  /** Progress of this model (item = repo id); throttled to one report per `progressEveryMs` plus one per file. */
  progress(p: Progress): void;
  progressEveryMs?: number;
  now?: () => number;
}

/** The S3 key of a repo file: `<repo id>/<path>`. */
export function objectKey(repoId: string, file: string): string {
  return `${repoId}/${file}`;
}

/** The files whose object is absent or of another size (resume: the rest is skipped). */
export function missingFiles(files: readonly HubFile[], present: ReadonlyMap<string, number>, repoId: string): HubFile[] {
  return files.filter((f) => present.get(objectKey(repoId, f.path)) !== f.size);
}

/**
 * Copies the missing files of one model. Resolves with the counts; rejects with AbortError when
 * the signal fires (the file in flight is not left behind: a multipart upload is aborted, a
 * single PUT never completes), or with the Hub/S3 adapters' UserErrors.
 */
export async function copyModel(hub: HubClient, t: CopyTarget): Promise<{ copied: number; skipped: number; bytes: number }> {
  const now = t.now ?? Date.now;
  const present = await listObjectSizes(t.s3, t.bucket, `${t.repoId}/`, t.endpoint, t.signal);
  const todo = missingFiles(t.files, present, t.repoId);
  const bytesTotal = t.files.reduce((n, f) => n + f.size, 0);
  const already = bytesTotal - todo.reduce((n, f) => n + f.size, 0);
  const started = now();
  let sent = 0;
  let lastReport = 0;
  const report = (message: string, force: boolean): void => {
    const at = now();
    if (!force && at - lastReport < (t.progressEveryMs ?? 250)) return;
    lastReport = at;
    const seconds = Math.max((at - started) / 1000, 0.001);
    const done = already + sent;
    t.progress({ item: t.repoId, message, bytesDone: done, bytesTotal, bytesPerSecond: Math.round(sent / seconds), fraction: bytesTotal === 0 ? 1 : done / bytesTotal });
  };
  report(`${t.files.length - todo.length} of ${t.files.length} files already in the bucket`, true);
  let copied = 0;
  for (const file of todo) {
    if (t.signal.aborted) throw new DOMException('import aborted', 'AbortError');
    const { stream } = await hub.open(t.repoId, file.path);
    const base = sent;
    let fileBytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        fileBytes += chunk.length;
        sent = base + fileBytes;
        report(`copying ${file.path}`, false);
        cb(null, chunk);
      },
    });
    stream.on('error', (err) => counter.destroy(err));
    await uploadStream(t.s3, { bucket: t.bucket, key: objectKey(t.repoId, file.path), body: stream.pipe(counter), partSize: t.partSize, signal: t.signal, endpoint: t.endpoint });
    sent = base + file.size;
    copied++;
    report(`copied ${file.path} (${t.files.length - todo.length + copied}/${t.files.length} files)`, true);
  }
  return { copied, skipped: t.files.length - todo.length, bytes: sent };
}
