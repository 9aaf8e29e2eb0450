/**
 * Teardowns of the model import stage (STAGES.md §4): the per-model importer Jobs (and their pods)
 * and, only with `--delete-data`, the model's files in the bucket (`s3://<bucket>/<repo id>/`);
 * for the shared `import` step the importer ConfigMap, the Hugging Face token Secret, the ODH-TEC
 * workbench (method workbench) and any importer Job left.
 *
 * Facts: a Job deleted through the API without a propagation policy orphans its pods (batch/v1
 * default), so their pods (label `job-name`) are deleted too. S3 DeleteObject on a missing key
 * answers 204: deleting again is harmless.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { listObjectSizes, mapS3Error } from '../../src/cluster/s3.js';
import type { KubeObject } from '../../src/engine/types.js';
import { entryFor, loadCatalog } from '../import/catalog.js';
import { s3For } from '../import/context.js';
import { IMPORTER_CONFIGMAP, IMPORTER_LABEL } from '../import/job.js';
import { storageOutputs } from '../storage/data-connection.js';
import { projectNamespace } from '../storage/inputs.js';
import { deleteObject, secretRef } from './kube.js';
import type { Teardown, TeardownContext, TeardownOutcome } from './types.js';

const IMPORTER_SELECTOR = Object.entries(IMPORTER_LABEL).map(([k, v]) => `${k}=${v}`).join(',');
const KEEP_DATA = 'the model files stay in the bucket: add --delete-data to delete them';

/** Deletes the importer Jobs matching `selector` and their pods. */
async function deleteJobs(ctx: TeardownContext, ns: string, selector: string, label: string, report: (o: TeardownOutcome) => void): Promise<void> {
  const { kube } = ctx.services;
  const jobs = await kube.list<KubeObject>('batch/v1', 'Job', ns, selector);
  for (const job of jobs) {
    const name = job.metadata.name ?? '';
    report(await deleteObject(ctx, { apiVersion: 'batch/v1', kind: 'Job', name, namespace: ns }));
    for (const pod of await kube.list<KubeObject>('v1', 'Pod', ns, `job-name=${name}`)) {
      await deleteObject(ctx, { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', namespace: ns });
    }
  }
  if (jobs.length === 0) report({ what: label, result: 'gone' });
}

/** The Hugging Face repo id of `import.<short>`: its recorded outputs, else the import step's saved models. */
function repoIdOf(ctx: TeardownContext, short: string): string | undefined {
  const out = ctx.outputs(ctx.stepId) as { models?: { id?: string }[] } | undefined;
  const recorded = out?.models?.[0]?.id;
  if (recorded) return recorded;
  const catalog = loadCatalog();
  const saved = ctx.inputsOf('import')?.['models'];
  const ids = Array.isArray(saved) ? saved.map(String) : catalog.map((e) => e.id);
  for (const id of ids) {
    try {
      if (entryFor(id, catalog).name === short) return id;
    } catch {
      // not a repo id: skip
    }
  }
  return undefined;
}

/** Deletes every object under `<repo id>/` in the bucket; reports how many. */
async function deleteModelFiles(ctx: TeardownContext, repoId: string, report: (o: TeardownOutcome) => void): Promise<void> {
  const ns = projectNamespace(ctx);
  const storage = storageOutputs(ctx);
  const what = `files of ${repoId} in bucket ${storage.bucket}`;
  if (!(await ctx.services.kube.get('v1', 'Secret', storage.secretName, ns))) {
    report({ what, result: 'gone', why: `Secret ${ns}/${storage.secretName} with the bucket's keys is gone` });
    return;
  }
  const s3 = await s3For(ctx, ns, storage);
  try {
    const keys = [...(await listObjectSizes(s3, storage.bucket, `${repoId}/`, storage.externalEndpoint, ctx.signal)).keys()];
    for (const key of keys) {
      ctx.signal.throwIfAborted();
      try {
        await s3.send(new DeleteObjectCommand({ Bucket: storage.bucket, Key: key }), { abortSignal: ctx.signal });
      } catch (err) {
        throw mapS3Error(err, { endpoint: storage.externalEndpoint, bucket: storage.bucket });
      }
    }
    report(keys.length > 0 ? { what: `${what} (${keys.length} objects)`, result: 'deleted' } : { what, result: 'gone' });
  } finally {
    s3.destroy();
  }
}

/** `import.<short>`: the model's importer Jobs, and its files with --delete-data. */
export const modelImportTeardown: Teardown = {
  describe(ctx) {
    const short = ctx.stepId.slice('import.'.length);
    const repo = repoIdOf(ctx, short) ?? short;
    return [
      { key: 'jobs', what: `importer Jobs of ${short} in ${projectNamespace(ctx)}` },
      { key: 'data', what: `the files of ${repo} in the bucket`, ...(ctx.options.deleteData ? {} : { keep: KEEP_DATA }) },
    ];
  },
  async run(ctx, report) {
    const short = ctx.stepId.slice('import.'.length);
    await deleteJobs(ctx, projectNamespace(ctx), `${IMPORTER_SELECTOR},maas-wizard.io/model=${short}`, `importer Jobs of ${short}`, report);
    const repo = repoIdOf(ctx, short);
    if (!ctx.options.deleteData) return report({ what: `the files of ${repo ?? short} in the bucket`, result: 'kept', why: KEEP_DATA });
    if (!repo) return report({ what: `the files of ${short} in the bucket`, result: 'kept', why: 'the model\'s repo id is not recorded' });
    if (!ctx.outputs('storage')) return report({ what: `the files of ${repo} in the bucket`, result: 'kept', why: 'the storage step is not recorded: bucket unknown' });
    await deleteModelFiles(ctx, repo, report);
  },
};

/** `import`: the importer ConfigMap, the token Secret, the workbench, importer Jobs left. */
export const importTeardown: Teardown = {
  describe(ctx) {
    const ns = projectNamespace(ctx);
    const items = [
      { key: 'jobs', what: `importer Jobs left in ${ns}` },
      { key: 'configmap', what: `ConfigMap ${ns}/${IMPORTER_CONFIGMAP} (the importer script)` },
      { key: 'token', what: `Secret ${ns}/${String(ctx.inputs['tokenSecret'] ?? 'hf-token')} (the Hugging Face token)` },
    ];
    if (ctx.inputs['method'] === 'workbench') items.push({ key: 'workbench', what: `Notebook ${ns}/${String(ctx.inputs['workbenchName'] ?? 'odh-tec')} (the ODH-TEC workbench)` });
    return items;
  },
  async run(ctx, report) {
    const ns = projectNamespace(ctx);
    await deleteJobs(ctx, ns, IMPORTER_SELECTOR, `importer Jobs in ${ns}`, report);
    report(await deleteObject(ctx, { apiVersion: 'v1', kind: 'ConfigMap', name: IMPORTER_CONFIGMAP, namespace: ns }));
    report(await deleteObject(ctx, secretRef(ns, String(ctx.inputs['tokenSecret'] ?? 'hf-token'))));
    if (ctx.inputs['method'] === 'workbench') {
      const ref = { apiVersion: 'kubeflow.org/v1', kind: 'Notebook', name: String(ctx.inputs['workbenchName'] ?? 'odh-tec'), namespace: ns };
      report(await deleteObject(ctx, ref));
    }
  },
};
