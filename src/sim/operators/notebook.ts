/**
 * Simulated Kubeflow notebook controller with OpenShift AI's extension (odh-notebook-controller):
 * a Notebook (`kubeflow.org/v1`) gets a Pod `<name>-0` (the StatefulSet's), a Service `<name>` and
 * a Route `<name>` with host `<name>-<ns>.<domain>`; after DURATIONS.notebookReady its status reads
 * `readyReplicas: 1`, `containerState.running` and conditions `Ready`/`ContainersReady`
 * (status fields of kubeflow.org_notebooks.yaml). Used by the ODH-TEC import method (STAGES.md §4c).
 */
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, splitKey } from './controller.js';
import type { Key } from './controller.js';
import { ownerRef, rfc3339 } from './objects.js';
import { containerStatus, firstContainer, podConditions, pickNode } from './pods.js';

/** Host of a Notebook's Route. */
export function notebookHost(name: string, namespace: string, domain: string): string {
  return `${name}-${namespace}.${domain}`;
}

/** Creates the simulated notebook controller. */
export function createNotebookOperator(ctx: OperatorContext): SimOperator {
  const ctl: Controller = new Controller(ctx, {
    name: 'notebook-controller',
    primary: 'Notebook',
    reconcile(key: Key, c: Controller) {
      const { namespace: ns, name } = splitKey(key);
      const o = c.objects;
      const nb = ns ? o.get('Notebook', ns, name) : undefined;
      if (!nb || !ns) {
        if (ns) o.remove('Pod', ns, `${name}-0`);
        return c.cancelAll(key);
      }
      if ((nb['status'] as { readyReplicas?: number } | undefined)?.readyReplicas === 1) return;
      const podSpec = ((nb['spec'] as { template?: { spec?: Record<string, unknown> } } | undefined)?.template?.spec) ?? {};
      const owner = [ownerRef(nb)];
      const labels = { app: name, 'notebook-name': name, statefulset: name };
      o.ensure('Service', { metadata: { name, namespace: ns, labels, ownerReferences: owner }, spec: { type: 'ClusterIP', selector: { statefulset: name }, ports: [{ name: 'http-' + name, port: 80, targetPort: 8888, protocol: 'TCP' }] } });
      o.ensure('Route', { metadata: { name, namespace: ns, labels: { 'notebook-name': name }, ownerReferences: owner }, spec: { host: notebookHost(name, ns, ctx.domain), to: { kind: 'Service', name, weight: 100 }, port: { targetPort: 'http-' + name }, tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' }, wildcardPolicy: 'None' } });
      const pod = o.ensure('Pod', { metadata: { name: `${name}-0`, namespace: ns, labels, ownerReferences: owner }, spec: { ...podSpec, nodeName: pickNode(o.list('Node'), false) } });
      const ctr = firstContainer(pod);
      if (!(pod['status'] as { phase?: string } | undefined)?.phase) {
        o.setStatus('Pod', ns, pod.metadata.name, () => ({ phase: 'Pending', conditions: podConditions(false), containerStatuses: [containerStatus(ctr.name, ctr.image, { waiting: { reason: 'ContainerCreating' } })] }));
        o.setStatus('Notebook', ns, name, (s) => ({ ...s, readyReplicas: 0, containerState: { waiting: { reason: 'ContainerCreating' } }, conditions: [] }));
      }
      c.after(key, 'ready', DURATIONS.notebookReady, () => {
        const started = rfc3339();
        o.setStatus('Pod', ns, pod.metadata.name, (s) => ({ ...s, phase: 'Running', startTime: started, conditions: podConditions(true), containerStatuses: [containerStatus(ctr.name, ctr.image, { running: { startedAt: started } }, { ready: true })] }));
        o.setStatus('Notebook', ns, name, (s) => ({
          ...s, readyReplicas: 1, containerState: { running: { startedAt: started } },
          conditions: [
            { type: 'Ready', status: 'True', lastProbeTime: started, lastTransitionTime: started },
            { type: 'ContainersReady', status: 'True', lastProbeTime: started, lastTransitionTime: started },
          ],
        }));
      });
    },
  });
  return ctl;
}
