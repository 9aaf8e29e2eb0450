/**
 * Simulated volume provisioning (the CSI external-provisioner's part): a PersistentVolumeClaim
 * binds after DURATIONS.pvcBound when its StorageClass (or the default class, annotation
 * `storageclass.kubernetes.io/is-default-class`) exists and its provisioner supports the access
 * modes asked. ReadWriteMany needs a shared-file provisioner (CephFS, NFS, EFS, Azure File); on
 * block or cloud-disk classes (EBS `gp3-csi`, Ceph RBD) the claim stays `Pending` with a Warning
 * Event `ProvisioningFailed` (what leaves 3scale's `system-storage` Pending: C9).
 */
import { randomUUID } from 'node:crypto';
import { DURATIONS } from '../durations.js';
import type { OperatorContext, SimOperator } from './context.js';
import { Controller, keyOf, splitKey } from './controller.js';
import type { Key } from './controller.js';

const RWX_PROVISIONERS = [/cephfs\.csi\.ceph\.com$/, /nfs/, /efs\.csi\.aws\.com$/, /file\.csi\.azure\.com$/, /filestore\.csi\.storage\.gke\.io$/];

/** True when volumes of this provisioner can be mounted ReadWriteMany. */
export function supportsReadWriteMany(provisioner: string): boolean {
  return RWX_PROVISIONERS.some((re) => re.test(provisioner));
}

function reconcile(key: Key, ctl: Controller): void {
  const { namespace: ns, name } = splitKey(key);
  const o = ctl.objects;
  const pvc = ns ? o.get('PersistentVolumeClaim', ns, name) : undefined;
  if (!pvc || !ns) return ctl.cancelAll(key);
  const phase = (pvc['status'] as { phase?: string } | undefined)?.phase;
  if (phase === 'Bound') return;
  const spec = (pvc['spec'] ?? {}) as { storageClassName?: string; accessModes?: string[]; resources?: { requests?: { storage?: string } } };
  const className = spec.storageClassName ?? o.list('StorageClass').find((s) => s.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true')?.metadata.name;
  const sc = className ? o.get('StorageClass', undefined, className) : undefined;
  let problem: [string, string] | undefined;
  if (!className) problem = ['FailedBinding', 'no persistent volumes available for this claim and no storage class is set'];
  else if (!sc) problem = ['ProvisioningFailed', `storageclass.storage.k8s.io "${className}" not found`];
  else if ((spec.accessModes ?? []).includes('ReadWriteMany') && !supportsReadWriteMany(String(sc['provisioner'] ?? ''))) {
    problem = ['ProvisioningFailed', `failed to provision volume with StorageClass "${className}": rpc error: code = InvalidArgument desc = Volume capabilities not supported: access mode ReadWriteMany`];
  }
  if (phase !== 'Pending') o.setStatus('PersistentVolumeClaim', ns, name, (s) => ({ ...s, phase: 'Pending' }));
  if (problem) {
    ctl.cancel(key, 'bind');
    if (phase !== 'Pending') o.event(pvc, problem[0] === 'FailedBinding' ? 'Normal' : 'Warning', problem[0], problem[1], 'persistentvolume-controller');
    return;
  }
  ctl.after(key, 'bind', DURATIONS.pvcBound, () => {
    o.update('PersistentVolumeClaim', ns, name, (p) => {
      p['spec'] = { ...(p['spec'] as object), volumeName: `pvc-${randomUUID()}`, storageClassName: className };
      p.metadata.annotations = { ...(p.metadata.annotations ?? {}), 'pv.kubernetes.io/bind-completed': 'yes', 'volume.kubernetes.io/storage-provisioner': String(sc?.['provisioner'] ?? '') };
    });
    o.setStatus('PersistentVolumeClaim', ns, name, (s) => ({ ...s, phase: 'Bound', accessModes: spec.accessModes ?? ['ReadWriteOnce'], capacity: { storage: spec.resources?.requests?.storage ?? '1Gi' } }));
  });
}

/** Creates the simulated volume provisioner. */
export function createPvcOperator(ctx: OperatorContext): SimOperator {
  const ctl: Controller = new Controller(ctx, {
    name: 'persistentvolume-controller',
    primary: 'PersistentVolumeClaim',
    watches: [{ kind: 'StorageClass', map: () => ctl.objects.list('PersistentVolumeClaim').map(keyOf) }],
    reconcile,
  });
  return ctl;
}
