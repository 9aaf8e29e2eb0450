/**
 * Import method `job` (STAGES.md §4 a): one Kubernetes Job per model that streams the files from
 * the Hub into the bucket inside the cluster (the cluster has the bandwidth), running
 * templates/importer/import.py from ConfigMap `model-importer`; the wizard follows the pod log,
 * whose JSON lines (`start`, `skip`, `progress`, `file-done`, `done`, `error`) become progress.
 *
 * The container: `IMAGE` (default a UBI Python image) installs `boto3` and `requests` into
 * /tmp/pylib unless the image has them, so a random UID works (HOME=/tmp). Keys come from the data
 * connection Secret (`envFrom`), the token from Secret `hf-token` (optional key ref). Jobs are
 * named `import-<model>-<hash of the repo and file list>` (the same plan gives the same name; a
 * finished Job of that name is replaced), `backoffLimit: 0` (auth errors must not be retried),
 * `ttlSecondsAfterFinished: 86400`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HubFile } from '../../src/cluster/huggingface.js';
import { mapHubError } from '../../src/cluster/huggingface.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { KubeObject, Progress, StepContext } from '../../src/engine/types.js';
import type { CatalogEntry } from './catalog.js';
import { catalogPath } from './catalog.js';

/** Label every importer Job and pod carries. */
export const IMPORTER_LABEL = { 'app.kubernetes.io/name': 'model-importer', 'app.kubernetes.io/managed-by': 'maas-wizard' } as const;
/** ConfigMap holding import.py. */
export const IMPORTER_CONFIGMAP = 'model-importer';
/** Default importer image (Red Hat UBI 9 with Python 3.12). */
export const DEFAULT_IMPORTER_IMAGE = 'registry.access.redhat.com/ubi9/python-312:latest';

/** The importer script's text (templates/importer/import.py, next to the model catalog's templates/). */
export function importerScript(): string {
  return readFileSync(path.join(path.dirname(path.dirname(catalogPath())), 'importer', 'import.py'), 'utf8');
}

/** The ConfigMap with the script. */
export function importerConfigMap(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: IMPORTER_CONFIGMAP, namespace, labels: { ...IMPORTER_LABEL } }, data: { 'import.py': importerScript() } };
}

/** What a Job needs besides the model. Part size in bytes. */
export interface JobOptions {
  namespace: string;
  image: string;
  hubUrl: string;
  connection: string;
  tokenSecret: string;
  partSize: number;
}

const RUN = 'python3 -c "import boto3, requests" 2>/dev/null || pip install --quiet --no-cache-dir --target /tmp/pylib boto3 requests && exec python3 /opt/importer/import.py';

/** The Job's name: `import-<short name>-<6 hex of sha256(repo id, files)>` (at most 54 characters). */
export function importerJobName(entry: CatalogEntry, files: readonly HubFile[]): string {
  const hash = createHash('sha256').update(JSON.stringify([entry.id, files.map((f) => [f.path, f.size])])).digest('hex').slice(0, 6);
  return `import-${entry.name.slice(0, 40).replace(/-+$/, '')}-${hash}`;
}

/** The Job of one model copying exactly `files`. */
export function importerJob(entry: CatalogEntry, files: readonly HubFile[], o: JobOptions): KubeObject {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: importerJobName(entry, files), namespace: o.namespace, labels: { ...IMPORTER_LABEL, 'maas-wizard.io/model': entry.name }, annotations: { 'maas-wizard.io/repo-id': entry.id } },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: 86400,
      template: {
        metadata: { labels: { ...IMPORTER_LABEL, 'maas-wizard.io/model': entry.name } },
        spec: {
          restartPolicy: 'Never',
          containers: [{
            name: 'importer', image: o.image, command: ['/bin/bash', '-c', RUN],
            env: [
              { name: 'REPO_ID', value: entry.id },
              { name: 'FILES', value: JSON.stringify(files.map((f) => ({ path: f.path, size: f.size }))) },
              { name: 'HF_ENDPOINT', value: o.hubUrl },
              { name: 'PART_SIZE', value: String(o.partSize) },
              { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: o.tokenSecret, key: 'HF_TOKEN', optional: true } } },
              { name: 'HOME', value: '/tmp' },
              { name: 'PYTHONPATH', value: '/tmp/pylib' },
              { name: 'PYTHONUNBUFFERED', value: '1' },
            ],
            envFrom: [{ secretRef: { name: o.connection } }],
            resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } },
            volumeMounts: [{ name: 'script', mountPath: '/opt/importer' }, { name: 'tmp', mountPath: '/tmp' }],
          }],
          volumes: [{ name: 'script', configMap: { name: IMPORTER_CONFIGMAP } }, { name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

/**
 * One line of the importer's log, parsed (the contract at the top of templates/importer/import.py);
 * undefined for anything else (pip output). `source: 's3'` marks an S3 failure (absent on Hub errors).
 */
export type ImporterEvent =
  | { event: 'start'; files: number; bytes: number }
  | { event: 'skip' | 'file-done'; file: string; size: number }
  | { event: 'progress'; file: string; bytes: number; size: number }
  | { event: 'done'; files: number; bytes: number }
  | { event: 'error'; status: number; message: string; file?: string; source?: 's3' };

/** Parses one log line. */
export function parseImporterLine(line: string): ImporterEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(line) as { event?: unknown };
    return typeof v.event === 'string' ? (v as ImporterEvent) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The error a failed import Job stands for: a Hub refusal (401/403/404, not from S3) becomes the
 * Hub adapter's C4 UserError (`hf.token-missing`, `hf.token-invalid`, `hf.gated`,
 * `hf.fine-grained`, `hf.not-found`); anything else UserError `import.job-failed` naming the Job,
 * the model and the importer's message, with `oc logs` as the fix.
 * @param error the importer's last `error` line, if it printed one.
 */
export function importerFailure(error: Extract<ImporterEvent, { event: 'error' }> | undefined, where: { namespace: string; job: string; repoId: string; hubUrl: string }): unknown {
  if (error && error.source !== 's3' && [401, 403, 404].includes(error.status)) {
    return mapHubError(Object.assign(new Error(error.message), { statusCode: error.status }), where.repoId, { hubUrl: where.hubUrl });
  }
  return new UserError('import.job-failed', `the import Job ${where.namespace}/${where.job} of ${where.repoId} failed${error ? `: ${error.message}` : ''}`, {
    fix: `see \`oc logs job/${where.job} -n ${where.namespace}\`; run the import again (files already copied are skipped), or use method local`,
  });
}

/**
 * Turns the importer's lines into Progress of one model: bytes done (skipped files count as done),
 * the rate of the bytes copied by this Job since its `start` line (bytes per second; the UI
 * derives the time left from it), and a message. `now` in milliseconds.
 */
export function importerProgress(repoId: string, bytesTotal: number, report: (p: Progress) => void, now: () => number = Date.now): (e: ImporterEvent) => void {
  let skipped = 0;
  let copied = 0;
  let current = 0;
  let started: number | undefined;
  const emit = (message: string): void => {
    const bytesDone = skipped + copied + current;
    const seconds = Math.max((now() - (started ?? now())) / 1000, 0.001);
    report({ item: repoId, message, bytesDone, bytesTotal, bytesPerSecond: Math.round((copied + current) / seconds), fraction: bytesTotal === 0 ? 1 : Math.min(1, bytesDone / bytesTotal) });
  };
  return (e) => {
    if (e.event === 'start') {
      started = now();
      emit(`${e.files} files to copy`);
    } else if (e.event === 'skip') {
      skipped += e.size;
      emit(`already there ${e.file}`);
    } else if (e.event === 'file-done') {
      copied += e.size;
      current = 0;
      emit(`copied ${e.file}`);
    } else if (e.event === 'progress') {
      current = Math.min(e.bytes, e.size);
      emit(`copying ${e.file}`);
    }
  };
}

interface JobShape extends KubeObject {
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

/**
 * Creates the Job, follows its pod's log into progress (bytes done of the model's total), and
 * waits for condition Complete. Times in milliseconds.
 * @throws the Hub adapter's C4 UserErrors for an `error` line with 401/403/404, UserError
 *   `import.job-failed` otherwise, WaitTimeoutError after `timeoutMs`.
 */
export async function runImportJob(ctx: StepContext<unknown, Services>, job: KubeObject, entry: CatalogEntry, bytesTotal: number, timeoutMs: number, hubUrl: string): Promise<void> {
  const { kube } = ctx.services;
  const ns = job.metadata.namespace ?? '';
  const ref = { apiVersion: 'batch/v1', kind: 'Job', name: job.metadata.name ?? '', namespace: ns };
  // A Job of the same name ran the same copy before (and failed, or the files were deleted since).
  if (await kube.get('batch/v1', 'Job', ref.name, ns)) {
    await kube.delete(ref);
    await ctx.waitFor(async () => ((await kube.get('batch/v1', 'Job', ref.name, ns)) ? { state: 'pending', currently: 'being deleted' } : { state: 'done', value: true }), { what: `the previous Job ${ns}/${ref.name} to be deleted`, timeoutMs: 120_000, intervalMs: 250 });
  }
  const created = await kube.create<JobShape>(job);
  const name = created.metadata.name ?? '';
  const uid = String(created.metadata['uid'] ?? '');
  const pod = await ctx.waitFor(async () => {
    const pods = await kube.list('v1', 'Pod', ns, `controller-uid=${uid}`);
    const p = pods[0];
    const phase = (p?.['status'] as { phase?: string } | undefined)?.phase;
    if (p && phase && phase !== 'Pending') return { state: 'done', value: p.metadata.name ?? '' };
    return { state: 'pending', currently: p ? 'pod starting' : 'no pod yet' };
  }, { what: `the pod of Job ${ns}/${name}`, timeoutMs: Math.min(timeoutMs, 600_000), intervalMs: 250, maxIntervalMs: 5000 });

  let lastError: Extract<ImporterEvent, { event: 'error' }> | undefined;
  const onEvent = importerProgress(entry.id, bytesTotal, (p) => ctx.progress(p));
  const following = kube.podLog(ns, pod, {
    follow: true, signal: ctx.signal,
    onLine: (line) => {
      const e = parseImporterLine(line);
      if (e?.event === 'error') lastError = e;
      else if (e) onEvent(e);
    },
  }).catch(() => undefined);

  const result = await kube.waitForObject(ctx.waitFor, { apiVersion: 'batch/v1', kind: 'Job', name, namespace: ns }, (o) => {
    const conds = (o as JobShape | undefined)?.status?.conditions ?? [];
    if (conds.some((c) => c.type === 'Complete' && c.status === 'True')) return { state: 'done', value: 'complete' as const };
    if (conds.some((c) => c.type === 'Failed' && c.status === 'True')) return { state: 'done', value: 'failed' as const };
    return { state: 'pending', currently: 'copying' };
  }, { what: `Job ${ns}/${name} (${entry.id})`, timeoutMs, intervalMs: 500, maxIntervalMs: 10_000 });
  await following;
  if (result === 'complete') return;
  throw importerFailure(lastError, { namespace: ns, job: name, repoId: entry.id, hubUrl });
}
