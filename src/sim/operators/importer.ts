/**
 * The model-import Job doing real work in the simulation (SIMULATOR.md §2: "the model import Job
 * really copies the files"). A Job runner (jobs.ts `registerJobRunner`) for the wizard's import
 * Jobs that follows the container contract of templates/importer/import.py:
 *
 * - matched by the Job label `app.kubernetes.io/name: model-importer` (steps/import/job.ts
 *   `IMPORTER_LABEL`); the container `importer` (else the first) gives the environment: `REPO_ID`,
 *   `FILES` (JSON list of `{path, size}`), `HF_ENDPOINT` (default `https://huggingface.co`),
 *   `HF_TOKEN` (optional, from Secret `hf-token`), `PART_SIZE` (bytes, at least 5 MiB),
 *   `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_S3_ENDPOINT`, `AWS_S3_BUCKET`,
 *   `AWS_DEFAULT_REGION` (from the data connection Secret through `envFrom`);
 * - lists `<repo>/` in the bucket, then per file: same size present → `skip`; else streams
 *   `GET <hub>/<repo>/resolve/main/<path>` (Bearer token) into a managed (multipart) upload of key
 *   `<repo>/<path>`, with `progress` lines at most once a second and `file-done`; then `done`;
 * - a Hub answer other than 200 → `{"event": "error", "status": …, "message": <X-Error-Message, or
 *   the body's "error">, "file": …}` and exit 1; a connection failure → status 0, exit 1.
 * Lines are printed as Python's `json.dumps` prints them (`", "` and `": "` separators, ASCII only).
 * Requests go through the pod network (pod-network.ts): the Hub stand-in and the S3 backend see
 * them as from inside the cluster. Secret values never reach the log.
 */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { S3Client, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import pRetry from 'p-retry';
import type { StoredObject } from '../types.js';
import { containerEnv } from './container-env.js';
import type { ContainerSpec } from './container-env.js';
import { ContainerExit } from './jobs.js';
import type { JobRun } from './jobs.js';
import type { Objects } from './objects.js';
import { podUrl } from './pod-network.js';
import type { PodNetwork } from './pod-network.js';

/** The label of the wizard's importer Jobs (steps/import/job.ts `IMPORTER_LABEL`). */
export const IMPORTER_JOB_LABEL = { key: 'app.kubernetes.io/name', value: 'model-importer' } as const;

/** Smallest and default multipart part size of import.py, bytes. */
const MIN_PART = 5 * 1024 * 1024;
const DEFAULT_PART = 16 * 1024 * 1024;
/** import.py prints a `progress` line at most this often, milliseconds. */
const PROGRESS_EVERY_MS = 1000;

/** Whether `job` is one of the wizard's model import Jobs. */
export function isImporterJob(job: StoredObject): boolean {
  return job.metadata.labels?.[IMPORTER_JOB_LABEL.key] === IMPORTER_JOB_LABEL.value;
}

/** One JSON line as Python's `json.dumps(fields)` prints it (key order kept). */
export function pythonJsonLine(fields: Record<string, unknown>): string {
  const text = `{${Object.entries(fields).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')}}`;
  return text.replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The container of an importer Job's pod template (`importer`, else the first). */
function importerContainer(job: StoredObject): ContainerSpec {
  const containers = ((job['spec'] as { template?: { spec?: { containers?: ContainerSpec[] } } } | undefined)?.template?.spec?.containers) ?? [];
  return containers.find((c) => c.name === 'importer') ?? containers[0] ?? {};
}

/** The Hub's error text: `X-Error-Message`, else the JSON body's `error`, else the status text. */
async function hubMessage(res: IncomingMessage): Promise<string> {
  const header = res.headers['x-error-message'];
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  if (typeof header === 'string' && header !== '') return header;
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: unknown };
    if (typeof body.error === 'string') return body.error;
  } catch {
    // not JSON: the reason phrase, as requests' resp.reason
  }
  return res.statusMessage ?? '';
}

/** True for a connection closed or reset before an answer (`socket hang up`, ECONNRESET). */
function isDroppedConnection(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/.test((err as Error).message ?? '');
}

/** GET through the pod network; resolves with the response (body not read). */
function get(network: PodNetwork, url: string, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(podUrl(url), { agent: network.agent, headers, signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/**
 * The runner. `o` reads the Secrets and ConfigMaps the container's env refers to; `network` is
 * how the pod reaches the Hub and the bucket endpoint.
 */
export function createImporterRunner(o: Objects, network: PodNetwork): JobRun {
  return async (job, log, signal) => {
    const emit = (fields: Record<string, unknown>): void => log(pythonJsonLine(fields));
    const env = containerEnv(o, job.metadata.namespace ?? '', importerContainer(job));
    const need = (name: string): string => {
      const v = env[name];
      if (v === undefined) throw new Error(`KeyError: '${name}'`);
      return v;
    };
    const repo = need('REPO_ID');
    const files = JSON.parse(need('FILES')) as { path: string; size: number }[];
    const hub = (env['HF_ENDPOINT'] || 'https://huggingface.co').replace(/\/+$/, '');
    const token = env['HF_TOKEN'] || undefined;
    const part = Math.max(MIN_PART, Number(env['PART_SIZE'] ?? DEFAULT_PART) || DEFAULT_PART);
    const bucket = need('AWS_S3_BUCKET');
    const s3 = new S3Client({
      endpoint: podUrl(need('AWS_S3_ENDPOINT')),
      region: env['AWS_DEFAULT_REGION'] || 'us-east-1',
      forcePathStyle: true,
      credentials: { accessKeyId: need('AWS_ACCESS_KEY_ID'), secretAccessKey: need('AWS_SECRET_ACCESS_KEY') },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: { httpAgent: network.agent },
    });
    try {
      const present = new Map<string, number>();
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: `${repo}/` }, { abortSignal: signal })) {
        for (const obj of page.Contents ?? []) if (obj.Key !== undefined) present.set(obj.Key, obj.Size ?? 0);
      }
      const total = files.reduce((n, f) => n + f.size, 0);
      emit({ event: 'start', repo, files: files.length, bytes: total });
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      for (const f of files) {
        const key = `${repo}/${f.path}`;
        if (present.get(key) === f.size) {
          emit({ event: 'skip', file: f.path, size: f.size });
          continue;
        }
        let res: IncomingMessage;
        try {
          // A dropped connection is tried again (as the importer's HTTP session does); a refusal is
          // an answer, never retried.
          res = await pRetry(() => get(network, `${hub}/${repo}/resolve/main/${f.path}`, headers, signal), { retries: 3, minTimeout: 200, signal, shouldRetry: ({ error }) => isDroppedConnection(error) });
        } catch (err) {
          if (signal.aborted) throw err;
          emit({ event: 'error', status: 0, message: (err as Error).message });
          throw new ContainerExit(1);
        }
        if (res.statusCode !== 200) {
          emit({ event: 'error', status: res.statusCode ?? 0, message: await hubMessage(res), file: f.path });
          throw new ContainerExit(1);
        }
        let last = -Infinity;
        const upload = new Upload({ client: s3, params: { Bucket: bucket, Key: key, Body: res }, partSize: part, queueSize: 2, leavePartsOnError: false });
        upload.on('httpUploadProgress', (p) => {
          const now = performance.now();
          if (now - last < PROGRESS_EVERY_MS) return;
          last = now;
          emit({ event: 'progress', file: f.path, bytes: p.loaded ?? 0, size: f.size });
        });
        const onAbort = (): void => void upload.abort().catch(() => undefined);
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          await upload.done();
        } finally {
          signal.removeEventListener('abort', onAbort);
        }
        emit({ event: 'file-done', file: f.path, size: f.size });
      }
      emit({ event: 'done', files: files.length, bytes: total });
    } finally {
      s3.destroy();
    }
  };
}
