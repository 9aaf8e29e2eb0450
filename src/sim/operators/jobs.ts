/**
 * Simulated Job controller and kubelet for Jobs (`batch/v1`): a Job gets a Pod `<job>-xxxxx`
 * (labels `job-name`, `controller-uid`), which runs and exits; the Job then gets `succeeded: 1`,
 * `completionTime` and condition `Complete` (plus `SuccessCriteriaMet` as Kubernetes 1.31+ writes),
 * or, when the container fails, Pod `Failed` and Job `failed: 1` with condition `Failed`, reason
 * `BackoffLimitExceeded`. By default the container runs DURATIONS.jobRun and exits 0; a registered
 * runner does the real work instead (the model import Job copies files), its log lines going to
 * the Pod log.
 */
import type { StoredObject } from '../types.js';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { ownerRef, randomSuffix, rfc3339 } from './objects.js';
import { containerStatus, firstContainer, podConditions, pickNode } from './pods.js';

/**
 * Does the work of a Job's container; resolves on exit 0, rejects on failure (its message is
 * logged as `Error: <message>`, unless it is a ContainerExit: the container said what it had to).
 */
export type JobRun = (job: StoredObject, log: (line: string) => void, signal: AbortSignal) => Promise<void>;

/**
 * A container that exits non-zero on its own (after printing its own error line): the Job
 * controller logs nothing more and reports `exitCode` in the pod's `terminated` state.
 */
export class ContainerExit extends Error {
  /** @param exitCode the process exit code (non-zero). */
  constructor(readonly exitCode: number, message = `exit code ${exitCode}`) {
    super(message);
    this.name = 'ContainerExit';
  }
}

/** The Job controller plus `registerJobRunner`. */
export interface JobOperator extends SimOperator {
  /** Jobs for which `match` is true run `run` (first match wins). Returns unregister. */
  registerJobRunner(match: (job: StoredObject) => boolean, run: JobRun): () => void;
}

/** Creates the simulated Job controller. */
export function createJobOperator(ctx: OperatorContext): JobOperator {
  const runners: { match: (job: StoredObject) => boolean; run: JobRun }[] = [];
  const running = new Map<Key, AbortController>();
  const ctl: Controller = new Controller(ctx, { name: 'job-controller', primary: 'Job', reconcile: (key) => reconcile(key), onStop: () => { for (const a of running.values()) a.abort(); running.clear(); } });
  const o = ctl.objects;

  function reconcile(key: Key): void {
    const { namespace: ns, name } = splitKey(key);
    const job = ns ? o.get('Job', ns, name) : undefined;
    if (!job || !ns) {
      running.get(key)?.abort();
      running.delete(key);
      return ctl.cancelAll(key);
    }
    const st = (job['status'] ?? {}) as { succeeded?: number; failed?: number; active?: number; startTime?: string };
    // `active` without a runner in this process: the simulation restarted while the Job ran; its
    // pod is gone with the old process, so the Job starts a new one, as after a lost node.
    if (st.succeeded || st.failed || running.has(key)) return;
    const template = ((job['spec'] as { template?: { spec?: Record<string, unknown>; metadata?: { labels?: Record<string, string> } } } | undefined)?.template) ?? {};
    const podName = `${name}-${randomSuffix(5)}`;
    const labels = { ...(template.metadata?.labels ?? {}), 'job-name': name, 'batch.kubernetes.io/job-name': name, 'controller-uid': job.metadata.uid };
    o.ensure('Pod', { metadata: { name: podName, namespace: ns, labels, ownerReferences: [ownerRef(job)] }, spec: { ...(template.spec ?? {}), nodeName: pickNode(o.list('Node'), false), restartPolicy: (template.spec?.['restartPolicy'] as string | undefined) ?? 'Never' } });
    const pod = o.get('Pod', ns, podName);
    if (!pod) return;
    const c = firstContainer(pod);
    o.setStatus('Pod', ns, podName, () => ({ phase: 'Pending', conditions: podConditions(false), containerStatuses: [containerStatus(c.name, c.image, { waiting: { reason: 'ContainerCreating' } })] }));
    o.setStatus('Job', ns, name, (s) => ({ ...s, active: 1, startTime: rfc3339(), ready: 0, terminating: 0, uncountedTerminatedPods: {} }));
    const abort = new AbortController();
    running.set(key, abort);
    ctl.after(key, 'start', DURATIONS.podStart, () => {
      o.setStatus('Pod', ns, podName, (s) => ({ ...s, phase: 'Running', startTime: rfc3339(), conditions: podConditions(true), containerStatuses: [containerStatus(c.name, c.image, { running: { startedAt: rfc3339() } }, { ready: true })] }));
      const runner = runners.find((r) => r.match(job));
      const log = (line: string): void => ctx.podLogs.append(ns, podName, line);
      const work = runner
        ? runner.run(job, log, abort.signal)
        : new Promise<void>((resolve) => ctx.clock.after(DURATIONS.jobRun, resolve));
      work.then(() => finish(key, podName, c, true), (err: unknown) => {
        if (err instanceof ContainerExit) return finish(key, podName, c, false, undefined, err.exitCode);
        log(`Error: ${(err as Error).message}`);
        finish(key, podName, c, false, (err as Error).message);
      });
    });
  }

  function finish(key: Key, podName: string, c: { name: string; image: string }, ok: boolean, message?: string, exitCode = ok ? 0 : 1): void {
    const { namespace: ns, name } = splitKey(key);
    if (!running.has(key) || !ns) return;
    running.delete(key);
    ctx.podLogs.end(ns, podName);
    const now = rfc3339();
    o.setStatus('Pod', ns, podName, (s) => ({
      ...s, phase: ok ? 'Succeeded' : 'Failed', conditions: podConditions(false),
      containerStatuses: [containerStatus(c.name, c.image, { terminated: { exitCode, reason: ok ? 'Completed' : 'Error', ...(message ? { message } : {}), finishedAt: now } })],
    }));
    o.setStatus('Job', ns, name, (s) => {
      const rest = { ...s };
      delete rest['active'];
      return ok
        ? { ...rest, succeeded: 1, ready: 0, completionTime: now, conditions: [
          { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now },
          { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods', lastProbeTime: now, lastTransitionTime: now }] }
        : { ...rest, failed: 1, ready: 0, conditions: [
          { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now },
          { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: now, lastTransitionTime: now }] };
    });
  }

  return {
    name: 'jobs',
    start: () => ctl.start(),
    stop: () => ctl.stop(),
    registerJobRunner(match, run) {
      const entry = { match, run };
      runners.push(entry);
      return () => {
        const i = runners.indexOf(entry);
        if (i >= 0) runners.splice(i, 1);
      };
    },
  };
}
