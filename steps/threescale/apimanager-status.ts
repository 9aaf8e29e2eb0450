/**
 * Reading an APIManager's progress (3scale-operator status reconciler): conditions `Available`
 * (reason `MissingWatchedSecrets` when referenced Secrets are absent), `Preflights` (False when the
 * operator refuses the spec, e.g. 2.16 without external databases), `Warning`, and
 * `status.deployments.{ready,starting,stopped}`; plus the `system-storage` PersistentVolumeClaim,
 * whose `Pending` (no ReadWriteMany class, C9) keeps system-app from starting.
 */
import type { KubeClient } from '../../src/cluster/kube.js';
import { routesByHost } from '../../src/cluster/threescale/connect.js';
import type { Diagnosis, KubeObject, ProbeResult } from '../../src/engine/types.js';
import { KINDS } from './shared.js';

/** A condition of a status. */
interface Condition { type: string; status: string; reason?: string; message?: string }

/** The APIManager as read. */
export type ApiManager = KubeObject & { status?: { conditions?: Condition[]; deployments?: { ready?: string[]; starting?: string[]; stopped?: string[] } } };

type Pvc = KubeObject & { status?: { phase?: string }; spec?: { storageClassName?: string } };
type KubeEvent = KubeObject & { involvedObject?: { kind?: string; name?: string }; type?: string; reason?: string; message?: string };

/** Hosts of a tenant's Routes: admin and developer portal, and the sample product's production gateway. */
export interface TenantRouteHosts {
  admin: string;
  developer: string;
  /** `api-<tenant>-apicast-production.<domain>` (zync's host for product system name `api`). */
  sampleGateway: string;
}

/** The PVC 3scale system uses for CMS files and attachments when file storage is a volume. */
export const SYSTEM_STORAGE_PVC = 'system-storage';

/** State of the `system-storage` PVC: absent, Bound, or Pending with its latest Warning event (if any). */
export async function systemStorage(kube: KubeClient, ns: string): Promise<{ phase?: string; storageClass?: string; warning?: string } | undefined> {
  const pvc = await kube.get<Pvc>(KINDS.pvc.apiVersion, KINDS.pvc.kind, SYSTEM_STORAGE_PVC, ns);
  if (!pvc) return undefined;
  const phase = pvc.status?.phase ?? 'Pending';
  const out: { phase?: string; storageClass?: string; warning?: string } = { phase };
  if (pvc.spec?.storageClassName) out.storageClass = pvc.spec.storageClassName;
  if (phase !== 'Bound') {
    const events = await kube.list<KubeEvent>('v1', 'Event', ns);
    const warning = events.filter((e) => e.involvedObject?.kind === 'PersistentVolumeClaim' && e.involvedObject.name === SYSTEM_STORAGE_PVC && e.type === 'Warning').pop();
    if (warning) out.warning = `${warning.reason ?? ''}: ${warning.message ?? ''}`;
  }
  return out;
}

const condition = (am: ApiManager | undefined, type: string): Condition | undefined => am?.status?.conditions?.find((c) => c.type === type);

/** "9/12 Deployments available: system-app, zync-que, ..." from `status.deployments`. */
export function deploymentsLine(am: ApiManager | undefined): string {
  const d = am?.status?.deployments;
  if (!d) return 'no Deployments reported yet';
  const ready = d.ready ?? [];
  const notReady = [...(d.starting ?? []), ...(d.stopped ?? [])];
  const total = ready.length + notReady.length;
  return `${ready.length}/${total} Deployments available${notReady.length > 0 ? `: ${notReady.join(', ')} not yet` : ''}`;
}

/**
 * One look at the APIManager: done when `Available=True`, or (given `hosts`) when every Deployment
 * is ready, the portal Routes exist and only the sample product's gateway Route is gone (the
 * operator's Available needs it); failed on `Preflights=False`,
 * `MissingWatchedSecrets`, or a `system-storage` PVC that cannot be provisioned (Warning event);
 * pending otherwise, saying which Deployments are not ready.
 */
export async function probeApiManager(kube: KubeClient, ns: string, name: string, usesPvc: boolean, hosts?: TenantRouteHosts): Promise<ProbeResult<ApiManager>> {
  const am = await kube.get<ApiManager>(KINDS.apiManager.apiVersion, KINDS.apiManager.kind, name, ns);
  if (!am) return { state: 'pending', currently: `APIManager ${name} not found yet` };
  const available = condition(am, 'Available');
  if (available?.status === 'True') return { state: 'done', value: am };
  // Deleting the sample product `API` removes Routes the operator counts for Available (STAGES.md §7).
  // Every Deployment ready, the portal Routes there and only the sample gateway Route gone: that is
  // a working 3scale whose sample product was deleted on purpose (threescale.base).
  const d = am.status?.deployments;
  const allReady = (d?.ready?.length ?? 0) > 0 && (d?.starting?.length ?? 0) === 0 && (d?.stopped?.length ?? 0) === 0;
  if (hosts && allReady && condition(am, 'Preflights')?.status !== 'False' && available?.reason !== 'MissingWatchedSecrets') {
    const [admin, developer, sample] = await Promise.all([hosts.admin, hosts.developer, hosts.sampleGateway].map((h) => routesByHost(kube, ns, h)));
    if ((admin?.length ?? 0) > 0 && (developer?.length ?? 0) > 0 && sample?.length === 0) return { state: 'done', value: am };
  }
  const preflights = condition(am, 'Preflights');
  if (preflights?.status === 'False') {
    return { state: 'failed', reason: `the 3scale operator refuses the APIManager (Preflights): ${preflights.message ?? preflights.reason ?? ''}`, fix: 'for 3scale 2.16 and later run `maas-wizard retry threescale.databases` (external Redis and database, Secrets backend-redis, system-redis, system-database), then this step again' };
  }
  if (available?.reason === 'MissingWatchedSecrets') {
    return { state: 'failed', reason: `the APIManager references Secrets that do not exist: ${available.message ?? ''}`, fix: `create the Secrets it names in ${ns} (\`oc get apimanager ${name} -n ${ns} -o yaml\`)` };
  }
  let storage = '';
  if (usesPvc) {
    const pvc = await systemStorage(kube, ns);
    if (pvc && pvc.phase !== 'Bound') {
      if (pvc.warning) {
        return { state: 'failed', reason: `PersistentVolumeClaim ${ns}/${SYSTEM_STORAGE_PVC} is Pending (${pvc.warning}); system-app cannot start without it`, fix: storageFix(pvc.storageClass) };
      }
      storage = `; PVC ${SYSTEM_STORAGE_PVC} ${pvc.phase ?? 'Pending'}`;
    }
  }
  const warning = condition(am, 'Warning');
  const warn = warning?.status === 'True' ? `; warning: ${warning.message ?? warning.reason ?? ''}` : '';
  return { state: 'pending', currently: `${deploymentsLine(am)}${storage}${warn}` };
}

function storageFix(storageClass: string | undefined): string {
  return `choose a ReadWriteMany StorageClass (CephFS, NFS) instead of ${storageClass ?? 'the default class'}, or S3 file storage, for input fileStorage of threescale.apimanager; then delete the PVC (\`oc delete pvc ${SYSTEM_STORAGE_PVC} -n <namespace>\`) and run the step again`;
}

/**
 * Known failure shapes of the APIManager wait, as a sentence and a fix (C9: PVC Pending for lack of
 * a ReadWriteMany class; Preflights; missing watched Secrets).
 * @param rwxClass a ReadWriteMany class preflight found, suggested as the repair when present.
 */
export async function diagnoseApiManager(kube: KubeClient, ns: string, name: string, usesPvc: boolean, rwxClass?: string): Promise<Diagnosis | undefined> {
  if (usesPvc) {
    const pvc = await systemStorage(kube, ns);
    if (pvc && pvc.phase !== 'Bound') {
      return {
        summary: `the PersistentVolumeClaim ${SYSTEM_STORAGE_PVC} is ${pvc.phase ?? 'Pending'}${pvc.warning ? ` (${pvc.warning})` : ''}: 3scale system storage needs ReadWriteMany, which ${pvc.storageClass ?? 'the default class'} does not offer, so the APIManager never becomes Available`,
        fix: storageFix(pvc.storageClass),
        suggestedInputs: rwxClass ? { fileStorage: 'pvc', storageClass: rwxClass } : { fileStorage: 's3' },
      };
    }
  }
  const am = await kube.get<ApiManager>(KINDS.apiManager.apiVersion, KINDS.apiManager.kind, name, ns);
  const preflights = condition(am, 'Preflights');
  if (preflights?.status === 'False') {
    return { summary: `the 3scale operator's preflights refuse the APIManager: ${preflights.message ?? ''}`, fix: 'from 3scale 2.16 on, backend Redis, system Redis and the system database must be external: run `maas-wizard retry threescale.databases`, then this step' };
  }
  const available = condition(am, 'Available');
  if (available?.reason === 'MissingWatchedSecrets') {
    return { summary: `the APIManager waits for Secrets that do not exist: ${available.message ?? ''}`, fix: `create them in ${ns} or remove the references from the APIManager` };
  }
  return undefined;
}
