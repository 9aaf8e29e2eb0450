/**
 * Import method `workbench` (STAGES.md §4 c, as in the guide): the wizard creates the ODH-TEC
 * workbench (workbench-manifest.ts), waits for it to be Ready, shows its URL (the host of the
 * Route the odh-notebook-controller creates, named after the Notebook) in a checkpoint while the
 * person imports the models by hand, then the step verifies the bucket as for every method.
 * Unattended runs cannot do a manual import: the plan refuses them.
 */
import type { Services } from '../../src/cluster/services.js';
import { InputError } from '../../src/engine/errors.js';
import type { Change, KubeObject, StepContext } from '../../src/engine/types.js';
import { formatBytes } from './precheck.js';
import { workbenchPrefix } from './workbench-manifest.js';

/** One model still to import by hand. Sizes in bytes. */
export interface ManualImport {
  repoId: string;
  files: number;
  bytes: number;
}

/** How long the workbench may take to become Ready (image pull of ODH-TEC included), milliseconds. */
export const WORKBENCH_READY_TIMEOUT_MS = 15 * 60_000;

/**
 * Refuses method `workbench` in an unattended run when something is left to import.
 * @throws InputError naming `import.method` with the fix (another method, or a run with a person).
 */
export function refuseUnattended(unattended: boolean, todo: readonly ManualImport[]): void {
  if (!unattended || todo.length === 0) return;
  throw new InputError('import.method', `method workbench needs a person to import ${todo.map((t) => t.repoId).join(', ')} by hand in the ODH-TEC workbench, and this run is unattended`,
    'set import.method to job (in-cluster) or local (from this machine) in the answers file, or run the wizard in a terminal without --yes');
}

interface NotebookShape extends KubeObject {
  status?: { readyReplicas?: number; conditions?: { type?: string; status?: string; reason?: string; message?: string }[]; containerState?: { waiting?: { reason?: string; message?: string } } };
}

/** The checkpoint's text: where to import each model to. */
export function checkpointBody(bucket: string, todo: readonly ManualImport[]): string {
  const lines = [
    'In ODH-TEC (log in with your OpenShift account): choose the bucket, then "Import from Hugging Face" for each model below,',
    `into the folder named after its repo id, so that its files land in s3://${bucket}/<repo id>/ (e.g. .../config.json):`,
    ...todo.map((t) => `  • ${t.repoId} → s3://${bucket}/${t.repoId}/ (${t.files} files, ${formatBytes(t.bytes)})`),
    'Gated models need the Hugging Face token (ODH-TEC reads HF_TOKEN from Secret hf-token, or set it in its settings).',
    'When every import has finished, confirm: the wizard then checks every file\'s size against the Hub.',
  ];
  return lines.join('\n');
}

/**
 * Applies the workbench change (create or update), waits until the Notebook is Ready, reads its
 * Route, and puts the checkpoint question with the URL; resolves when the person confirms.
 * @throws WaitTimeoutError when the workbench is not Ready within WORKBENCH_READY_TIMEOUT_MS
 *   (naming what it was waiting on), AbortError on cancel, the kube adapter's errors.
 */
export async function runWorkbench(ctx: StepContext<unknown, Services>, change: Change | undefined, where: { namespace: string; name: string; bucket: string }, todo: readonly ManualImport[]): Promise<void> {
  const { kube } = ctx.services;
  const ref = { apiVersion: 'kubeflow.org/v1', kind: 'Notebook', name: where.name, namespace: where.namespace };
  if (change?.manifest && change.action === 'create') await kube.create(change.manifest);
  else if (change?.manifest && change.action === 'update') await kube.mergePatch(ref, { spec: change.manifest['spec'] });
  if (todo.length === 0) return;
  await kube.waitForObject(ctx.waitFor, ref, (o) => {
    const nb = o as NotebookShape | undefined;
    if (!nb) return { state: 'pending', currently: 'not created yet' };
    const ready = (nb.status?.readyReplicas ?? 0) >= 1 || (nb.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    if (ready) return { state: 'done', value: true };
    const waiting = nb.status?.containerState?.waiting;
    return { state: 'pending', currently: waiting?.reason ? `container ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}` : 'starting' };
  }, { what: `workbench ${where.namespace}/${where.name} to be Ready`, timeoutMs: WORKBENCH_READY_TIMEOUT_MS, intervalMs: 500, maxIntervalMs: 10_000 });
  const host = await ctx.waitFor(async () => {
    const route = await kube.get('route.openshift.io/v1', 'Route', where.name, where.namespace);
    const h = (route?.['spec'] as { host?: string } | undefined)?.host;
    return h ? { state: 'done', value: h } : { state: 'pending', currently: 'no Route yet' };
  }, { what: `the Route of workbench ${where.namespace}/${where.name}`, timeoutMs: 120_000, intervalMs: 500, maxIntervalMs: 5000 });
  const url = `https://${host}${workbenchPrefix(where.namespace, where.name)}/`;
  ctx.log(`workbench ${where.namespace}/${where.name} is Ready at ${url}`);
  await ctx.ask({ kind: 'checkpoint', id: 'import.workbench', title: 'Import the models in the ODH-TEC workbench', body: checkpointBody(where.bucket, todo), url });
}
