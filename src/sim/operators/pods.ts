/**
 * Pod shapes the simulated controllers write (the kubelet's part): a Pod per workload with
 * `status.phase`, `conditions` (PodScheduled, Initialized, ContainersReady, Ready) and
 * `containerStatuses` / `initContainerStatuses` in the states the kubelet reports (`waiting`
 * ContainerCreating / CrashLoopBackOff / PodInitializing, `running`, `terminated` Completed / Error).
 */
import type { KubeObject } from '../../engine/types.js';
import type { StoredObject } from '../types.js';
import { rfc3339 } from './objects.js';
import type { Manifest } from './objects.js';

/** What a container is doing, as the kubelet reports it. */
export type ContainerState =
  | { waiting: { reason: string; message?: string } }
  | { running: { startedAt: string } }
  | { terminated: { exitCode: number; reason: string; message?: string; startedAt?: string; finishedAt: string } };

/** One container's status (`containerStatuses[]`). */
export function containerStatus(name: string, image: string, state: ContainerState, extra: { ready?: boolean; restartCount?: number; lastState?: ContainerState } = {}): Record<string, unknown> {
  return { name, image, imageID: '', ready: extra.ready ?? false, started: 'running' in state, restartCount: extra.restartCount ?? 0, state, lastState: extra.lastState ?? {} };
}

/** Pod conditions for a pod that is `ready` (or not, with a reason like `ContainersNotReady`). */
export function podConditions(ready: boolean, initialized = true): Record<string, unknown>[] {
  const t = rfc3339();
  const c = (type: string, ok: boolean, reason?: string): Record<string, unknown> => ({ type, status: ok ? 'True' : 'False', lastTransitionTime: t, ...(ok || !reason ? {} : { reason }) });
  return [
    c('Initialized', initialized, 'ContainersNotInitialized'),
    c('Ready', ready, 'ContainersNotReady'),
    c('ContainersReady', ready, 'ContainersNotReady'),
    c('PodScheduled', true),
  ];
}

/** A Pod object owned by `owner` (a Deployment's ReplicaSet or a Job), scheduled on `nodeName`. */
export function podManifest(opts: { name: string; namespace: string; labels: Record<string, string>; owner?: Record<string, unknown>; spec: Record<string, unknown>; nodeName: string }): Manifest {
  return {
    metadata: { name: opts.name, namespace: opts.namespace, labels: opts.labels, ...(opts.owner ? { ownerReferences: [opts.owner] } : {}) },
    spec: { ...opts.spec, nodeName: opts.nodeName, restartPolicy: (opts.spec['restartPolicy'] as string | undefined) ?? 'Always' },
  };
}

/** First container name and image of a pod spec. */
export function firstContainer(pod: StoredObject | KubeObject): { name: string; image: string } {
  const c = ((pod['spec'] as { containers?: { name?: string; image?: string }[] } | undefined)?.containers ?? [])[0];
  return { name: c?.name ?? 'main', image: c?.image ?? '' };
}

/** A node name for a pod: a GPU node when the pod asks for `nvidia.com/gpu`, else a CPU worker (seed.ts names). */
export function pickNode(nodes: StoredObject[], wantsGpu: boolean): string {
  const gpu = (n: StoredObject): boolean => Boolean(((n['status'] as { allocatable?: Record<string, string> } | undefined)?.allocatable ?? {})['nvidia.com/gpu']);
  const match = nodes.find((n) => gpu(n) === wantsGpu) ?? nodes[0];
  return match?.metadata.name ?? 'ip-10-0-21-114.ec2.internal';
}
