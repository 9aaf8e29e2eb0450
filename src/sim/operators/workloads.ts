/**
 * Simulated ReplicaSet controller and kubelet for Deployments nobody else manages (the wizard's
 * own Redis and PostgreSQL for 3scale, for instance): such a Deployment gets a Pod
 * `<name>-<hash>-<id>` that runs, and `status` with `availableReplicas` and condition
 * `Available=True` (MinimumReplicasAvailable) after DURATIONS.podStart. Deployments created by a
 * simulated operator (owner reference or OLM `olm.owner` label) are left to that operator.
 */
import { randomBytes } from 'node:crypto';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { ownerRef, randomSuffix, rfc3339 } from './objects.js';
import { containerStatus, firstContainer, podConditions, pickNode } from './pods.js';

/** Creates the controller for unmanaged Deployments. */
export function createWorkloadOperator(ctx: OperatorContext): SimOperator {
  const ctl: Controller = new Controller(ctx, {
    name: 'deployment-controller',
    primary: 'Deployment',
    reconcile(key: Key, c: Controller) {
      const { namespace: ns, name } = splitKey(key);
      const o = c.objects;
      const d = ns ? o.get('Deployment', ns, name) : undefined;
      if (!d || !ns) return c.cancelAll(key);
      if ((d.metadata['ownerReferences'] as unknown[] | undefined)?.length || d.metadata.labels?.['olm.owner']) return;
      const st = (d['status'] ?? {}) as { observedGeneration?: number; availableReplicas?: number };
      if (st.observedGeneration === d.metadata.generation) return;
      const spec = (d['spec'] ?? {}) as { replicas?: number; template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> } };
      const replicas = spec.replicas ?? 1;
      const gen = d.metadata.generation;
      o.setStatus('Deployment', ns, name, () => ({ observedGeneration: gen, replicas, updatedReplicas: replicas, unavailableReplicas: replicas, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.', lastTransitionTime: rfc3339() }] }));
      c.after(key, `gen-${gen}`, DURATIONS.podStart, () => {
        const hash = randomBytes(5).toString('hex');
        const labels = { ...(spec.template?.metadata?.labels ?? {}), 'pod-template-hash': hash };
        for (const old of o.list('Pod', ns).filter((p) => (p.metadata['ownerReferences'] as { uid?: string }[] | undefined)?.some((r) => r.uid === d.metadata.uid))) o.remove('Pod', ns, old.metadata.name);
        for (let i = 0; i < replicas; i++) {
          const podName = `${name}-${hash}-${randomSuffix(5)}`;
          const pod = o.ensure('Pod', { metadata: { name: podName, namespace: ns, labels, ownerReferences: [{ ...ownerRef(d), controller: false }] }, spec: { ...(spec.template?.spec ?? {}), nodeName: pickNode(o.list('Node'), false) } });
          const ctr = firstContainer(pod);
          o.setStatus('Pod', ns, podName, () => ({ phase: 'Running', startTime: rfc3339(), conditions: podConditions(true), containerStatuses: [containerStatus(ctr.name, ctr.image, { running: { startedAt: rfc3339() } }, { ready: true })] }));
        }
        o.setStatus('Deployment', ns, name, () => ({ observedGeneration: gen, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastTransitionTime: rfc3339() }] }));
      });
    },
  });
  return ctl;
}
