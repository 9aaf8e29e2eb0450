/**
 * Inputs of the import step (STAGES.md §4): the models (catalog ids or any `owner/name`), the
 * Hub endpoint, the method, and the Hugging Face token (secret: `HF_TOKEN`, kept only in a
 * Secret in the project).
 *
 * Methods (STAGES.md §4): `job` (default: an in-cluster Job, the cluster has the bandwidth),
 * `local` (from this machine: disconnected clusters, small models), `workbench` (as in the guide:
 * an ODH-TEC workbench where the person imports by hand; not possible unattended).
 */
import { z } from 'zod';
import { DEFAULT_HUB_URL } from '../../src/cluster/huggingface.js';
import type { InputField } from '../../src/engine/types.js';
import { httpUrl } from '../storage/inputs.js';
import type { CatalogEntry } from './catalog.js';
import { DEFAULT_IMPORTER_IMAGE } from './job.js';
import { ODH_TEC_IMAGE } from './workbench-manifest.js';
import { entryFor, guideModels, repoId } from './catalog.js';

/** A list given as an array, or as one string separated by commas or spaces (answers file, text form). */
const list = (v: unknown): unknown => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v);

/**
 * Refuses a model list that would give two models the same steps: the same repo id twice, or two
 * ids with the same short name (catalog `name`, else `shortName(id)`), which names the per-model
 * steps (`serving.<name>`, `threescale.product.<name>`, ...) and the InferenceService. Without
 * this the step graph is invalid (duplicate step ids) and the run stops with an internal error.
 */
function distinctModels(catalog: readonly CatalogEntry[]) {
  return (ids: string[], ctx: z.RefinementCtx): void => {
    const byName = new Map<string, string>();
    for (const id of ids) {
      let name: string;
      try {
        name = entryFor(id, catalog).name;
      } catch {
        continue; // not owner/name: refused by repoId on its own
      }
      const other = byName.get(name);
      if (other === id) ctx.addIssue({ code: 'custom', message: `${id} is chosen twice; list each model once` });
      else if (other !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${other} and ${id} have the same short name "${name}", so their steps (serving.${name}, ...) would collide; choose one of them` });
      } else byName.set(name, id);
    }
  };
}

/**
 * The input schema. `models` defaults to the models the run's graph was built for (`graphModels`,
 * else the catalog's guide models). Sizes in MiB.
 */
export function importInputs(catalog: readonly CatalogEntry[], graphModels: readonly string[] = guideModels(catalog)) {
  return z.object({
    models: z.preprocess(list, z.array(repoId).min(1, { message: 'choose at least one model' }).superRefine(distinctModels(catalog))).default([...graphModels]),
    /** Hugging Face Hub base URL. */
    hubUrl: httpUrl.default(DEFAULT_HUB_URL),
    method: z.enum(['job', 'local', 'workbench']).default('job'),
    /** Image of the in-cluster importer (method job); needs python3 (boto3 and requests are installed when absent). */
    importerImage: z.string().min(1).default(DEFAULT_IMPORTER_IMAGE),
    /** Image of the ODH-TEC workbench (method workbench), as in the guide. */
    workbenchImage: z.string().min(1).default(ODH_TEC_IMAGE),
    /** Name of the workbench (Notebook) in the project: an RFC 1123 label. */
    workbenchName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(50).default('odh-tec'),
    /** How long one import Job may run, in minutes. */
    jobTimeoutMinutes: z.number().positive().max(24 * 60).default(120),
    /** Secret (in the project) that keeps the token, key `HF_TOKEN`. */
    tokenSecret: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(253).default('hf-token'),
    /** S3 multipart part size in MiB (S3's minimum is 5). */
    partSizeMiB: z.number().int().min(5).max(1024).default(16),
    /** Models copied at the same time. */
    concurrency: z.number().int().min(1).max(8).default(2),
  });
}
/** The import step's parsed, non-secret inputs. */
export type ImportInputs = z.infer<ReturnType<typeof importInputs>>;

/** Secret inputs: the Hugging Face token (optional: public models need none). */
export const importSecrets = z.object({ hfToken: z.string().min(1).optional() });

/**
 * The model picker: a multi-select of the catalog (any other `owner/name` can be typed in). It is
 * asked before the run's step graph is built (src/cli/models.ts), since every chosen model gets
 * its own import, serving, product and policies steps; so it is not part of the import form.
 */
export function modelsField(catalog: readonly CatalogEntry[]): InputField {
  return {
    key: 'models',
    label: 'Models',
    help: 'Hugging Face repo ids from the catalog; type any other owner/name to add it.',
    kind: 'multiselect',
    choices: () => catalog.map((m) => ({ value: m.id, label: m.id, hint: `${m.kind}, ${m.runtime}, ${m.gpus} GPU` })),
  };
}

/**
 * The form: the Job's image and timeout are shown only with method `job`, the workbench's name
 * and image only with `workbench` (which copies nothing itself, so no part size nor concurrency).
 */
export function importFields(): InputField[] {
  return [
    { key: 'hfToken', label: 'Hugging Face token', help: 'A read token (https://huggingface.co/settings/tokens); needed for gated models. Kept only in a Secret in the project.', kind: 'secret', env: 'HF_TOKEN', flag: '--hf-token' },
    {
      key: 'method', label: 'Import method', help: 'job: a Job in the project copies the files (needs Hub and PyPI access from the cluster). local: stream from the Hub into the bucket from this machine. workbench: as in the guide, by hand in an ODH-TEC workbench.', kind: 'select',
      choices: () => [
        { value: 'job', label: 'In-cluster Job', hint: 'the cluster has the bandwidth' },
        { value: 'local', label: 'From this machine', hint: 'disconnected clusters, small models' },
        { value: 'workbench', label: 'By hand in an ODH-TEC workbench', hint: 'as in the guide' },
      ],
    },
    { key: 'importerImage', label: 'Importer image (job)', help: 'An image with python3; boto3 and requests are installed into /tmp when absent.', kind: 'text', when: (v) => v['method'] === 'job' },
    { key: 'jobTimeoutMinutes', label: 'Job timeout (minutes)', kind: 'number', when: (v) => v['method'] === 'job' },
    { key: 'workbenchName', label: 'Workbench name', help: 'The Notebook in the project; its Route shows the ODH-TEC page.', kind: 'text', when: (v) => v['method'] === 'workbench' },
    { key: 'workbenchImage', label: 'Workbench image', help: 'The ODH-TEC image (quay.io/rh-aiservices-bu/odh-tec).', kind: 'text', when: (v) => v['method'] === 'workbench' },
    { key: 'hubUrl', label: 'Hugging Face Hub', help: 'The Hub endpoint (a mirror works too).', kind: 'text' },
    { key: 'partSizeMiB', label: 'Part size (MiB)', help: 'S3 multipart part size; memory use is about 2 parts per model copied at once.', kind: 'number', when: (v) => v['method'] !== 'workbench' },
    { key: 'concurrency', label: 'Models at once', kind: 'number', when: (v) => v['method'] !== 'workbench' },
  ];
}
