/**
 * Stage 4, model import, first step (`import`; STAGES.md §4, FIELD-CASES C4): the settings of the
 * import, the Hugging Face token kept in a Secret in the project, the pre-check of every chosen
 * model (info, file list, size after the filter, one small download that tells 401 / gated /
 * fine-grained 403 apart) before anything is copied, the importer script's ConfigMap (method
 * `job`), and for method `workbench` the ODH-TEC workbench with the checkpoint where the person
 * imports by hand. The copying itself is one step per model (`import.<name>`, model.ts), so a
 * model's serving starts as soon as its own import is verified.
 *
 * The models are chosen before the run's step graph is built (the per-model steps are part of
 * it): this step's `models` input must name models of the graph.
 */
import type { Services } from '../../src/cluster/services.js';
import { listObjectSizes } from '../../src/cluster/s3.js';
import { InputError } from '../../src/engine/errors.js';
import type { Change, Step, StepContext } from '../../src/engine/types.js';
import { storageOutputs } from '../storage/data-connection.js';
import { projectNamespace } from '../storage/inputs.js';
import { decodeSecret, resolveSecretManifest } from '../storage/refs.js';
import type { CatalogEntry } from './catalog.js';
import { entryFor } from './catalog.js';
import { connectionName, hubClient, s3For } from './context.js';
import type { ImportSettings } from './context.js';
import { missingFiles } from './copy.js';
import { importFields, importInputs, importSecrets } from './inputs.js';
import type { ImportInputs } from './inputs.js';
import { IMPORTER_CONFIGMAP, importerConfigMap } from './job.js';
import { formatBytes, precheckModel } from './precheck.js';
import { tokenChange } from './token.js';
import { refuseUnattended, runWorkbench } from './workbench.js';
import type { ManualImport } from './workbench.js';
import { workbenchChange, workbenchNotebook } from './workbench-manifest.js';

type Ctx = StepContext<ImportInputs, Services>;

/** The change for the importer script's ConfigMap (method job). */
async function configMapChange(ctx: Ctx, ns: string): Promise<Change> {
  const wanted = importerConfigMap(ns);
  const current = await ctx.services.kube.get('v1', 'ConfigMap', IMPORTER_CONFIGMAP, ns);
  const target = `ConfigMap ${ns}/${IMPORTER_CONFIGMAP}`;
  if (!current) return { action: 'create', target, manifest: wanted, note: 'the importer script (templates/importer/import.py)' };
  const same = (current['data'] as Record<string, string> | undefined)?.['import.py'] === (wanted['data'] as Record<string, string>)['import.py'];
  return same ? { action: 'none', target } : { action: 'update', target, manifest: wanted, diff: [{ path: 'data.import.py', from: '(older script)', to: '(this version\'s script)' }] };
}

/**
 * The chosen models' catalog entries.
 * @throws InputError `import.models` naming a model that has no steps in this run's graph.
 */
function chosen(ctx: Ctx, catalog: readonly CatalogEntry[], graphModels: readonly string[]): CatalogEntry[] {
  const ids = [...new Set(ctx.inputs.models)];
  const outside = ids.filter((id) => !graphModels.includes(id));
  if (outside.length > 0) {
    throw new InputError('import.models', `${outside.join(', ')} ${outside.length === 1 ? 'was' : 'were'} not chosen when this run started (this run imports and serves ${graphModels.join(', ')})`,
      'models are chosen on the first screen of the wizard, or with `import.models` in the answers file; start the wizard again to add a model');
  }
  return ids.map((id) => entryFor(id, catalog));
}

/**
 * Builds the `import` step.
 * @param catalog the model catalog.
 * @param graphModels repo ids of the models this run's graph has per-model steps for (the default selection).
 */
export function createImportStep(catalog: readonly CatalogEntry[], graphModels: readonly string[]): Step<ImportInputs, ImportSettings, Services> {
  return {
    id: 'import',
    stage: 'import',
    title: 'Check the models and prepare the import',
    needs: ['project', 'storage', 'data-connection'],
    inputs: importInputs(catalog, graphModels),
    secrets: importSecrets,
    fields: importFields(),
    async plan(ctx) {
      const ns = projectNamespace(ctx);
      const storage = storageOutputs(ctx);
      const { kube } = ctx.services;
      const changes: Change[] = [];
      const secret = await kube.get('v1', 'Secret', ctx.inputs.tokenSecret, ns);
      const stored = decodeSecret(secret)?.['HF_TOKEN'];
      const tokenPlan = tokenChange(ns, ctx.inputs.tokenSecret, ctx.secrets['hfToken'], stored, secret !== undefined);
      if (tokenPlan) changes.push(tokenPlan);
      const hub = hubClient(ctx, ctx.inputs.hubUrl, ctx.secrets['hfToken'] || stored);
      // Checked one after the other: the first refusal stops the plan, nothing is retried.
      const checked = [];
      for (const entry of chosen(ctx, catalog, graphModels)) checked.push(await precheckModel(hub, entry));
      if (ctx.inputs.method === 'job') changes.push(await configMapChange(ctx, ns));
      const s3 = await s3For(ctx, ns, storage);
      const manual: ManualImport[] = [];
      try {
        for (const m of checked) {
          const present = await listObjectSizes(s3, storage.bucket, `${m.entry.id}/`, storage.externalEndpoint, ctx.signal);
          const todo = missingFiles(m.selection.files, present, m.entry.id);
          const todoBytes = todo.reduce((n, f) => n + f.size, 0);
          const skipped = m.selection.skipped.length > 0 ? `; left out: ${m.selection.skipped.map((f) => `${f.path} (${f.reason})`).join(', ')}` : '';
          const by = todo.length === 0 ? '' : ctx.inputs.method === 'workbench' ? '; by hand in the ODH-TEC workbench' : `; copied by step import.${m.entry.name}`;
          const note = `${todo.length} of ${m.selection.files.length} files, ${formatBytes(todoBytes)} of ${formatBytes(m.selection.bytes)} to copy${m.info.gated ? ` (gated: ${m.info.gated})` : ''}${skipped}${by}`;
          if (todo.length > 0) manual.push({ repoId: m.entry.id, files: todo.length, bytes: todoBytes });
          const target = `s3://${storage.bucket}/${m.entry.id}/`;
          if (ctx.inputs.method === 'workbench' && todo.length > 0) {
            // Done by the person at the checkpoint; the call shows what is to be copied where.
            const action = todo.length === m.selection.files.length ? 'create' : 'update';
            changes.push({ action, target, call: { service: 's3', method: 'PUT', path: `/${storage.bucket}/${m.entry.id}/`, body: { files: todo.map((f) => ({ path: f.path, size: f.size })) } }, note });
          } else changes.push({ action: 'none', target, note });
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
      if (ctx.inputs.method === 'workbench') {
        const storage = storageOutputs(ctx);
        const notebook = plan.find((c) => c.target.startsWith('Notebook '));
        const manual = plan
          .filter((c) => c.call?.service === 's3' && c.action !== 'none')
          .map((c) => {
            const files = (c.call?.body as { files?: { size: number }[] } | undefined)?.files ?? [];
            return { repoId: c.target.slice(`s3://${storage.bucket}/`.length, -1), files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) };
          });
        await runWorkbench(ctx, notebook, { namespace: ns, name: ctx.inputs.workbenchName, bucket: storage.bucket }, manual);
      }
    },
    async verify(ctx) {
      const storage = storageOutputs(ctx);
      return {
        bucket: storage.bucket,
        selected: chosen(ctx, catalog, graphModels).map((e) => e.id),
        method: ctx.inputs.method,
        hubUrl: ctx.inputs.hubUrl,
        tokenSecret: ctx.inputs.tokenSecret,
        importerImage: ctx.inputs.importerImage,
        jobTimeoutMinutes: ctx.inputs.jobTimeoutMinutes,
        partSizeMiB: ctx.inputs.partSizeMiB,
        concurrency: ctx.inputs.concurrency,
      };
    },
    explain: {
      what: 'Checks each chosen model on the Hugging Face Hub (files, size, access) before anything is copied, keeps the token in a Secret in the project, and prepares the importer.',
      why: 'A gated model whose licence was not accepted, or a fine-grained token without access to public gated repos, fails only after a long download otherwise (C4).',
      commands: [
        'oc create secret generic hf-token -n llm-hosting --from-literal=HF_TOKEN="$HF_TOKEN"',
        'curl -sI -H "Authorization: Bearer $HF_TOKEN" -H "Range: bytes=0-0" https://huggingface.co/mistralai/Mistral-7B-Instruct-v0.3/resolve/main/config.json',
        'oc get notebook odh-tec -n llm-hosting; oc get route odh-tec -n llm-hosting -o jsonpath=\'{.spec.host}\'   # method workbench: the ODH-TEC URL',
      ],
    },
  };
}
