/**
 * Inputs of the import step (STAGES.md §4): the models (catalog ids or any `owner/name`), the
 * Hub endpoint, the method, and the Hugging Face token (secret: `HF_TOKEN`, kept only in a
 * Secret in the project).
 *
 * Method: `local` (from this machine) is the default of this version; `job` (in-cluster Job) is
 * offered too. The ODH-TEC workbench method is not built yet, so the schema does not offer it.
 */
import { z } from 'zod';
import { DEFAULT_HUB_URL } from '../../src/cluster/huggingface.js';
import type { InputField } from '../../src/engine/types.js';
import { httpUrl } from '../storage/inputs.js';
import type { CatalogEntry } from './catalog.js';
import { DEFAULT_IMPORTER_IMAGE } from './job.js';
import { guideModels, repoId } from './catalog.js';

/** A list given as an array, or as one string separated by commas or spaces (answers file, text form). */
const list = (v: unknown): unknown => (typeof v === 'string' ? v.split(/[\s,]+/).filter(Boolean) : v);

/** The input schema for a catalog (the default models are the catalog's guide models). Sizes in MiB. */
export function importInputs(catalog: readonly CatalogEntry[]) {
  return z.object({
    models: z.preprocess(list, z.array(repoId).min(1, { message: 'choose at least one model' })).default(guideModels(catalog)),
    /** Hugging Face Hub base URL. */
    hubUrl: httpUrl.default(DEFAULT_HUB_URL),
    method: z.enum(['local', 'job']).default('local'),
    /** Image of the in-cluster importer (method job); needs python3 (boto3 and requests are installed when absent). */
    importerImage: z.string().min(1).default(DEFAULT_IMPORTER_IMAGE),
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

/** The form. `models` lists the catalog in its help (the contract has no multi-select kind yet). */
export function importFields(catalog: readonly CatalogEntry[]): InputField[] {
  return [
    {
      key: 'models',
      label: 'Models (Hugging Face repo ids)',
      help: `Comma-separated. Catalog: ${catalog.map((m) => m.id).join(', ')}; any owner/name works too.`,
      kind: 'text',
      choices: () => catalog.map((m) => ({ value: m.id, label: m.id, hint: `${m.kind}, ${m.runtime}, ${m.gpus} GPU` })),
    },
    { key: 'hfToken', label: 'Hugging Face token', help: 'A read token (https://huggingface.co/settings/tokens); needed for gated models. Kept only in a Secret in the project.', kind: 'secret', env: 'HF_TOKEN', flag: '--hf-token' },
    {
      key: 'method', label: 'Import method', help: 'local: stream from the Hub into the bucket from this machine. job: a Job in the project does it (needs Hub and PyPI access from the cluster).', kind: 'select',
      choices: () => [{ value: 'local', label: 'From this machine' }, { value: 'job', label: 'In-cluster Job', hint: 'the cluster has the bandwidth' }],
    },
    { key: 'importerImage', label: 'Importer image (job)', help: 'An image with python3; boto3 and requests are installed into /tmp when absent.', kind: 'text' },
    { key: 'jobTimeoutMinutes', label: 'Job timeout (minutes)', kind: 'number' },
    { key: 'hubUrl', label: 'Hugging Face Hub', help: 'The Hub endpoint (a mirror works too).', kind: 'text' },
    { key: 'partSizeMiB', label: 'Part size (MiB)', help: 'S3 multipart part size; memory use is about 2 parts per model copied at once.', kind: 'number' },
    { key: 'concurrency', label: 'Models at once', kind: 'number' },
  ];
}
