/**
 * Stage 4, model import (STAGES.md §4; FIELD-CASES C4): one step for every chosen model, copying
 * up to `concurrency` models at once, by method `job` (default: one in-cluster Job per model,
 * job.ts), `local` (stream Hub → S3 from this machine, copy.ts) or `workbench` (the guide's
 * ODH-TEC workbench and a checkpoint while the person imports by hand, workbench.ts). One step rather than one per model
 * because the models are an input (the step graph is fixed before inputs are asked), the token
 * and its Secret are shared, and one concurrency cap bounds memory and bandwidth; progress is
 * reported per model (`Progress.item` = repo id). Plan pre-checks every model (C4) and lists the
 * files still missing from the bucket; verify compares every expected file's size with the Hub's.
 */
import type { Services } from '../../src/cluster/services.js';
import { HubClient } from '../../src/cluster/huggingface.js';
import { createS3Client, listObjectSizes } from '../../src/cluster/s3.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject, Step, StepContext } from '../../src/engine/types.js';
import { storageOutputs } from '../storage/data-connection.js';
import { projectNamespace } from '../storage/inputs.js';
import { decodeSecret, resolveSecretManifest } from '../storage/refs.js';
import type { StorageOutputs } from '../storage/step.js';
import type { CatalogEntry } from './catalog.js';
import { entryFor } from './catalog.js';
import { copyModel, missingFiles, objectKey } from './copy.js';
import { importFields, importInputs, importSecrets } from './inputs.js';
import type { ImportInputs } from './inputs.js';
import { IMPORTER_CONFIGMAP, importerConfigMap, importerJob, runImportJob } from './job.js';
import { formatBytes, precheckModel } from './precheck.js';
import { storedToken, tokenChange } from './token.js';
import { refuseUnattended, runWorkbench } from './workbench.js';
import type { ManualImport } from './workbench.js';
import { workbenchChange, workbenchNotebook } from './workbench-manifest.js';

/** One imported model, as later stages (serving) need it. */
export interface ImportedModel {
  id: string;
  /** Short name for Kubernetes objects (catalog `name`). */
  name: string;
  kind: CatalogEntry['kind'];
  runtime: CatalogEntry['runtime'];
  api: CatalogEntry['api'];
  maxModelLen: number;
  gpus: number;
  /** `storage.path` of the InferenceService: `<repo id>/`. */
  path: string;
  files: number;
  bytes: number;
}

/** Outputs: the bucket and every imported model. */
export interface ImportOutputs {
  bucket: string;
  models: ImportedModel[];
}

type Ctx = StepContext<ImportInputs, Services>;

/** Runs `fn` over `items` with at most `limit` at once; rejects with the first failure (after the others settle). */
async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  });
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return results;
}

/** The token: the secret input, else the one kept in the project's Secret. */
async function tokenOf(ctx: Ctx, ns: string): Promise<string | undefined> {
  return ctx.secrets['hfToken'] || (await storedToken(ctx.services.kube, ns, ctx.inputs.tokenSecret));
}

function hubClient(ctx: Ctx, token: string | undefined): HubClient {
  return new HubClient({ hubUrl: ctx.inputs.hubUrl, http: ctx.services.http, signal: ctx.signal, ...(token ? { token } : {}) });
}

/** An S3 client with the storage Secret's keys (read from the cluster now, kept in memory only). */
async function s3For(ctx: Ctx, ns: string, storage: StorageOutputs): Promise<ReturnType<typeof createS3Client>> {
  const keys = decodeSecret(await ctx.services.kube.get('v1', 'Secret', storage.secretName, ns));
  if (!keys?.['AWS_ACCESS_KEY_ID'] || !keys['AWS_SECRET_ACCESS_KEY']) {
    throw new UserError('storage.keys-missing', `Secret ${ns}/${storage.secretName} lacks the S3 keys`, { fix: 'run the storage step again' });
  }
  return createS3Client({ endpoint: storage.externalEndpoint, region: storage.region, accessKeyId: keys['AWS_ACCESS_KEY_ID'], secretAccessKey: keys['AWS_SECRET_ACCESS_KEY'], http: ctx.services.http });
}

const MiB = 1024 * 1024;

/** The data connection's Secret name (the importer Job's `envFrom`). */
function connectionName(ctx: Ctx): string {
  const name = ctx.outputs('data-connection')?.['name'];
  return typeof name === 'string' && name !== '' ? name : 'aws-connection-models';
}

/** The change for the importer script's ConfigMap (method job). */
async function configMapChange(ctx: Ctx, ns: string): Promise<Change> {
  const wanted = importerConfigMap(ns);
  const current = await ctx.services.kube.get('v1', 'ConfigMap', IMPORTER_CONFIGMAP, ns);
  const target = `ConfigMap ${ns}/${IMPORTER_CONFIGMAP}`;
  if (!current) return { action: 'create', target, manifest: wanted, note: 'the importer script (templates/importer/import.py)' };
  const same = (current['data'] as Record<string, string> | undefined)?.['import.py'] === (wanted['data'] as Record<string, string>)['import.py'];
  return same ? { action: 'none', target } : { action: 'update', target, manifest: wanted, diff: [{ path: 'data.import.py', from: '(older script)', to: '(this version\'s script)' }] };
}

/** A plain env value of a Job's first container. */
function jobEnv(job: KubeObject, name: string): string | undefined {
  const containers = ((job['spec'] as { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } }).template?.spec?.containers) ?? [];
  return containers[0]?.env?.find((e) => e.name === name)?.value;
}

/** Builds the import step for a catalog. */
export function createImportStep(catalog: readonly CatalogEntry[]): Step<ImportInputs, ImportOutputs, Services> {
  const entries = (ctx: Ctx): CatalogEntry[] => [...new Set(ctx.inputs.models)].map((id) => entryFor(id, catalog));
  return {
    id: 'import',
    stage: 'import',
    title: 'Import the models into the bucket',
    needs: ['project', 'storage', 'data-connection'],
    inputs: importInputs(catalog),
    secrets: importSecrets,
    fields: importFields(catalog),
    async plan(ctx) {
      const ns = projectNamespace(ctx);
      const storage = storageOutputs(ctx);
      const { kube } = ctx.services;
      const changes: Change[] = [];
      const secret = await kube.get('v1', 'Secret', ctx.inputs.tokenSecret, ns);
      const stored = decodeSecret(secret)?.['HF_TOKEN'];
      const tokenPlan = tokenChange(ns, ctx.inputs.tokenSecret, ctx.secrets['hfToken'], stored, secret !== undefined);
      if (tokenPlan) changes.push(tokenPlan);
      const hub = hubClient(ctx, ctx.secrets['hfToken'] || stored);
      // Checked one after the other: the first refusal stops the plan, nothing is retried.
      const checked = [];
      for (const entry of entries(ctx)) checked.push(await precheckModel(hub, entry));
      if (ctx.inputs.method === 'job') changes.push(await configMapChange(ctx, ns));
      const s3 = await s3For(ctx, ns, storage);
      const manual: ManualImport[] = [];
      try {
        for (const m of checked) {
          const present = await listObjectSizes(s3, storage.bucket, `${m.entry.id}/`, storage.externalEndpoint, ctx.signal);
          const todo = missingFiles(m.selection.files, present, m.entry.id);
          const todoBytes = todo.reduce((n, f) => n + f.size, 0);
          const skipped = m.selection.skipped.length > 0 ? `; left out: ${m.selection.skipped.map((f) => `${f.path} (${f.reason})`).join(', ')}` : '';
          const note = `${todo.length} of ${m.selection.files.length} files, ${formatBytes(todoBytes)} of ${formatBytes(m.selection.bytes)} to copy${m.info.gated ? ` (gated: ${m.info.gated})` : ''}${skipped}`;
          const action = todo.length === 0 ? 'none' : todo.length === m.selection.files.length ? 'create' : 'update';
          const target = `s3://${storage.bucket}/${m.entry.id}/`;
          if (todo.length > 0) manual.push({ repoId: m.entry.id, files: todo.length, bytes: todoBytes });
          if (ctx.inputs.method === 'job' && todo.length > 0) {
            const job = importerJob(m.entry, todo, { namespace: ns, image: ctx.inputs.importerImage, hubUrl: ctx.inputs.hubUrl, connection: connectionName(ctx), tokenSecret: ctx.inputs.tokenSecret, partSize: ctx.inputs.partSizeMiB * MiB });
            changes.push({ action: 'create', target: `Job ${ns}/${job.metadata.name ?? ''} → ${target}`, manifest: job, note });
          } else {
            const by = ctx.inputs.method === 'workbench' && todo.length > 0 ? '; by hand in the ODH-TEC workbench' : '';
            changes.push({ action, target, call: { service: 's3', method: 'PUT', path: `/${storage.bucket}/${m.entry.id}/`, body: { files: todo.map((f) => ({ path: f.path, size: f.size })) } }, note: note + by });
          }
        }
      } finally {
        s3.destroy();
      }
      if (ctx.inputs.method === 'workbench') {
        refuseUnattended(ctx.unattended, manual);
        const current = await kube.get('kubeflow.org/v1', 'Notebook', ctx.inputs.workbenchName, ns);
        if (current || manual.length > 0) {
          changes.push(workbenchChange(current, workbenchNotebook({ namespace: ns, name: ctx.inputs.workbenchName, image: ctx.inputs.workbenchImage, connection: connectionName(ctx), tokenSecret: ctx.inputs.tokenSecret })));
        }
      }
      return changes;
    },
    async apply(ctx, plan) {
      const ns = projectNamespace(ctx);
      const storage = storageOutputs(ctx);
      const { kube } = ctx.services;
      for (const change of plan) {
        if (change.action === 'none' || !change.manifest) continue;
        const m = change.manifest;
        if (m.kind === 'Secret') {
          const real = await resolveSecretManifest(m, { inputs: ctx.secrets, readSecret: async () => undefined });
          if (change.action === 'create') await kube.create(real);
          else await kube.mergePatch({ apiVersion: 'v1', kind: 'Secret', name: ctx.inputs.tokenSecret, namespace: ns }, { stringData: real['stringData'] });
        } else if (m.kind === 'ConfigMap') {
          if (change.action === 'create') await kube.create(m);
          else await kube.mergePatch({ apiVersion: 'v1', kind: 'ConfigMap', name: IMPORTER_CONFIGMAP, namespace: ns }, { data: m['data'] });
        }
      }
      const jobs = plan.filter((c) => c.manifest?.kind === 'Job');
      if (jobs.length > 0) {
        await pool(jobs, ctx.inputs.concurrency, async (change) => {
          const job = change.manifest as KubeObject;
          const entry = entryFor(String(job.metadata.annotations?.['maas-wizard.io/repo-id']), catalog);
          const files = JSON.parse(String(jobEnv(job, 'FILES') ?? '[]')) as { size: number }[];
          await runImportJob(ctx, job, entry, files.reduce((n, f) => n + f.size, 0), ctx.inputs.jobTimeoutMinutes * 60_000, ctx.inputs.hubUrl);
        });
      }
      const copies = plan.filter((c) => c.call?.service === 's3' && c.action !== 'none');
      if (ctx.inputs.method === 'workbench') {
        const notebook = plan.find((c) => c.target.startsWith('Notebook '));
        const manual = copies.map((c) => {
          const files = ((c.call?.body as { files?: { size: number }[] } | undefined)?.files ?? []);
          return { repoId: c.target.slice(`s3://${storage.bucket}/`.length, -1), files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
        });
        await runWorkbench(ctx, notebook, { namespace: ns, name: ctx.inputs.workbenchName, bucket: storage.bucket }, manual);
        return;
      }
      if (copies.length === 0) return;
      const hub = hubClient(ctx, await tokenOf(ctx, ns));
      const s3 = await s3For(ctx, ns, storage);
      try {
        await pool(copies, ctx.inputs.concurrency, async (change) => {
          const repoId = change.target.slice(`s3://${storage.bucket}/`.length, -1);
          const files = ((change.call?.body as { files?: { path: string; size: number }[] } | undefined)?.files ?? []);
          await copyModel(hub, { s3, endpoint: storage.externalEndpoint, bucket: storage.bucket, repoId, files, partSize: ctx.inputs.partSizeMiB * MiB, signal: ctx.signal, progress: (p) => ctx.progress(p) });
        });
      } finally {
        s3.destroy();
      }
    },
    async verify(ctx) {
      const ns = projectNamespace(ctx);
      const storage = storageOutputs(ctx);
      const hub = hubClient(ctx, await tokenOf(ctx, ns));
      const s3 = await s3For(ctx, ns, storage);
      const models: ImportedModel[] = [];
      try {
        for (const entry of entries(ctx)) {
          const { selection } = await precheckModel(hub, entry);
          const present = await listObjectSizes(s3, storage.bucket, `${entry.id}/`, storage.externalEndpoint, ctx.signal);
          const wrong = missingFiles(selection.files, present, entry.id);
          if (wrong.length > 0) {
            const shown = wrong.slice(0, 5).map((f) => `${f.path} (${present.has(objectKey(entry.id, f.path)) ? `size ${present.get(objectKey(entry.id, f.path))} ≠ ${f.size}` : 'missing'})`);
            throw new UserError('import.incomplete', `s3://${storage.bucket}/${entry.id}/ lacks ${wrong.length} of ${selection.files.length} files: ${shown.join(', ')}${wrong.length > 5 ? ', …' : ''}`, {
              fix: 'run the import step again: files already copied are skipped',
            });
          }
          models.push({ id: entry.id, name: entry.name, kind: entry.kind, runtime: entry.runtime, api: entry.api, maxModelLen: entry.maxModelLen, gpus: entry.gpus, path: `${entry.id}/`, files: selection.files.length, bytes: selection.bytes });
        }
      } finally {
        s3.destroy();
      }
      return { bucket: storage.bucket, models };
    },
    explain: {
      what: 'Copies each chosen model from the Hugging Face Hub into the bucket, under <repo id>/, weights in one format only, and checks every file\'s size.',
      why: 'KServe\'s storage initializer downloads the model from the bucket (storage.path) when a predictor starts; gated models need a token whose account accepted the licence.',
      commands: [
        'oc create secret generic hf-token -n llm-hosting --from-literal=HF_TOKEN="$HF_TOKEN"',
        'curl -sI -H "Authorization: Bearer $HF_TOKEN" -H "Range: bytes=0-0" https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3/resolve/main/config.json',
        'huggingface-cli download mistralai/Mistral-7B-Instruct-v0.3 --include "*.safetensors" "*.json" "tokenizer*" --local-dir ./Mistral-7B-Instruct-v0.3',
        'aws s3 sync ./Mistral-7B-Instruct-v0.3 s3://<BUCKET_NAME>/mistralai/Mistral-7B-Instruct-v0.3/ --endpoint-url https://s3-openshift-storage.<domain>',
        'oc logs -f job/import-<model>-<hash> -n llm-hosting   # method job: the importer\'s progress lines',
        'oc get notebook odh-tec -n llm-hosting; oc get route odh-tec -n llm-hosting -o jsonpath=\'{.spec.host}\'   # method workbench: the ODH-TEC URL',
        'aws s3 ls --recursive s3://<BUCKET_NAME>/mistralai/Mistral-7B-Instruct-v0.3/ --endpoint-url https://s3-openshift-storage.<domain>',
      ],
    },
  };
}
