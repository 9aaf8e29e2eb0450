/**
 * Stage 4, model import, one step per model (`import.<name>`; STAGES.md §4): copies the model's
 * files still missing from `s3://<bucket>/<repo id>/` by the method the `import` step chose —
 * `job` (an in-cluster Job, job.ts, following its pod log) or `local` (streamed Hub → S3 from
 * this machine, copy.ts); `workbench` copies nothing here (the person did it at the `import`
 * step's checkpoint). The per-model steps of one run share one cap (`import.concurrency`), so at
 * most that many models copy at once while the next stage serves each model as soon as its own
 * import is verified. Verify compares every expected file's size with the Hub's.
 */
import type { LimitFunction } from 'p-limit';
import { z } from 'zod';
import type { Services } from '../../src/cluster/services.js';
import { listObjectSizes } from '../../src/cluster/s3.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject, Step, StepContext } from '../../src/engine/types.js';
import { storageOutputs } from '../storage/data-connection.js';
import { projectNamespace } from '../storage/inputs.js';
import type { CatalogEntry } from './catalog.js';
import { connectionName, hubClient, importSettings, MiB, s3For, tokenOf } from './context.js';
import { copyModel, missingFiles, objectKey } from './copy.js';
import { importerJob, runImportJob } from './job.js';
import { formatBytes, precheckModel } from './precheck.js';

/** One imported model, as later stages (serving) need it. Sizes in bytes. */
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

/** Outputs of `import.<name>`: the bucket and the model, or no model when it was not chosen. */
export interface ImportOutputs {
  bucket: string;
  models: ImportedModel[];
}

const noInputs = z.object({});
type Ctx = StepContext<z.infer<typeof noInputs>, Services>;

/** A plain env value of a Job's first container. */
function jobEnv(job: KubeObject, name: string): string | undefined {
  const containers = ((job['spec'] as { template?: { spec?: { containers?: { env?: { name: string; value?: string }[] }[] } } }).template?.spec?.containers) ?? [];
  return containers[0]?.env?.find((e) => e.name === name)?.value;
}

/** The step id of a model's import: `import.<catalog name>`. */
export function importStepId(entry: Pick<CatalogEntry, 'name'>): string {
  return `import.${entry.name}`;
}

/**
 * Builds the import step of one model.
 * @param limiter gives the cap shared by the per-model steps of one run (p-limit), set to `import.concurrency`.
 */
export function createModelImportStep(entry: CatalogEntry, limiter: (concurrency: number) => LimitFunction): Step<z.infer<typeof noInputs>, ImportOutputs, Services> {
  const clients = async (ctx: Ctx) => {
    const settings = importSettings(ctx);
    const ns = projectNamespace(ctx);
    const hub = hubClient(ctx, settings.hubUrl, await tokenOf(ctx, ns, settings.tokenSecret));
    return { settings, ns, hub, storage: storageOutputs(ctx) };
  };
  return {
    id: importStepId(entry),
    stage: 'import',
    title: `Import ${entry.id}`,
    needs: ['import'],
    inputs: noInputs,
    fields: [],
    async plan(ctx) {
      const { settings, ns, hub, storage } = await clients(ctx);
      if (!settings.selected.includes(entry.id)) return [];
      const { selection } = await precheckModel(hub, entry);
      const s3 = await s3For(ctx, ns, storage);
      let todo;
      try {
        todo = missingFiles(selection.files, await listObjectSizes(s3, storage.bucket, `${entry.id}/`, storage.externalEndpoint, ctx.signal), entry.id);
      } finally {
        s3.destroy();
      }
      const target = `s3://${storage.bucket}/${entry.id}/`;
      const bytes = todo.reduce((n, f) => n + f.size, 0);
      const note = `${todo.length} of ${selection.files.length} files, ${formatBytes(bytes)} of ${formatBytes(selection.bytes)} to copy`;
      if (todo.length === 0) return [{ action: 'none', target, note }];
      if (settings.method === 'workbench') return [{ action: 'none', target, note: `${note}: by hand in the ODH-TEC workbench (step import)` }];
      const action = todo.length === selection.files.length ? 'create' : 'update';
      if (settings.method === 'job') {
        const job = importerJob(entry, todo, { namespace: ns, image: settings.importerImage, hubUrl: settings.hubUrl, connection: connectionName(ctx), tokenSecret: settings.tokenSecret, partSize: settings.partSizeMiB * MiB });
        return [{ action: 'create', target: `Job ${ns}/${job.metadata.name ?? ''} → ${target}`, manifest: job, note }];
      }
      return [{ action, target, call: { service: 's3', method: 'PUT', path: `/${storage.bucket}/${entry.id}/`, body: { files: todo.map((f) => ({ path: f.path, size: f.size })) } }, note }];
    },
    async apply(ctx, plan) {
      const work: Change | undefined = plan.find((c) => c.action !== 'none');
      if (!work) return;
      const { settings, hub, ns, storage } = await clients(ctx);
      await limiter(settings.concurrency)(async () => {
        if (work.manifest?.kind === 'Job') {
          const files = JSON.parse(String(jobEnv(work.manifest, 'FILES') ?? '[]')) as { size: number }[];
          await runImportJob(ctx, work.manifest, entry, files.reduce((n, f) => n + f.size, 0), settings.jobTimeoutMinutes * 60_000, settings.hubUrl);
          return;
        }
        const files = ((work.call?.body as { files?: { path: string; size: number }[] } | undefined)?.files ?? []);
        const s3 = await s3For(ctx, ns, storage);
        try {
          await copyModel(hub, { s3, endpoint: storage.externalEndpoint, bucket: storage.bucket, repoId: entry.id, files, partSize: settings.partSizeMiB * MiB, signal: ctx.signal, progress: (p) => ctx.progress(p) });
        } finally {
          s3.destroy();
        }
      });
    },
    async verify(ctx) {
      const { settings, hub, ns, storage } = await clients(ctx);
      if (!settings.selected.includes(entry.id)) return { bucket: storage.bucket, models: [] };
      const { selection } = await precheckModel(hub, entry);
      const s3 = await s3For(ctx, ns, storage);
      try {
        const present = await listObjectSizes(s3, storage.bucket, `${entry.id}/`, storage.externalEndpoint, ctx.signal);
        const wrong = missingFiles(selection.files, present, entry.id);
        if (wrong.length > 0) {
          const shown = wrong.slice(0, 5).map((f) => `${f.path} (${present.has(objectKey(entry.id, f.path)) ? `size ${present.get(objectKey(entry.id, f.path))} ≠ ${f.size}` : 'missing'})`);
          const fix = settings.method === 'workbench'
            ? `import the files in the ODH-TEC workbench, then run \`maas-wizard retry ${importStepId(entry)}\``
            : `run \`maas-wizard retry ${importStepId(entry)}\`: files already copied are skipped`;
          throw new UserError('import.incomplete', `s3://${storage.bucket}/${entry.id}/ lacks ${wrong.length} of ${selection.files.length} files: ${shown.join(', ')}${wrong.length > 5 ? ', …' : ''}`, { fix });
        }
      } finally {
        s3.destroy();
      }
      return {
        bucket: storage.bucket,
        models: [{ id: entry.id, name: entry.name, kind: entry.kind, runtime: entry.runtime, api: entry.api, maxModelLen: entry.maxModelLen, gpus: entry.gpus, path: `${entry.id}/`, files: selection.files.length, bytes: selection.bytes }],
      };
    },
    explain: {
      what: `Copies ${entry.id} from the Hugging Face Hub into the bucket, under ${entry.id}/, weights in one format only, and checks every file's size.`,
      why: 'KServe\'s storage initializer downloads the model from the bucket (storage.path) when a predictor starts.',
      commands: [
        `huggingface-cli download ${entry.id} --include "*.safetensors" "*.json" "tokenizer*" --local-dir ./${entry.id.split('/')[1] ?? entry.name}`,
        `aws s3 sync ./${entry.id.split('/')[1] ?? entry.name} s3://<BUCKET_NAME>/${entry.id}/ --endpoint-url https://s3-openshift-storage.<domain>`,
        `oc logs -f job/import-${entry.name}-<hash> -n llm-hosting   # method job: the importer's progress lines`,
        `aws s3 ls --recursive s3://<BUCKET_NAME>/${entry.id}/ --endpoint-url https://s3-openshift-storage.<domain>`,
      ],
    },
  };
}
