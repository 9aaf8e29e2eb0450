/**
 * What the simulated cluster holds out of the box: an OpenShift 4.16 cluster with OpenShift Data
 * Foundation and OpenShift AI installed (SIMULATOR.md §1, STAGES.md §0).
 *
 * Facts and their sources: the Ingress config `cluster` `spec.domain` (config.openshift.io/v1,
 * the wildcard domain); ClusterVersion `version`; ODF StorageClasses (`ocs-storagecluster-ceph-rgw`
 * with provisioner `openshift-storage.ceph.rook.io/bucket` and parameters
 * `objectStoreName`/`objectStoreNamespace`/`region`, `ocs-storagecluster-cephfs` (CephFS CSI,
 * ReadWriteMany), `openshift-storage.noobaa.io` (`openshift-storage.noobaa.io/obc`), and the AWS
 * default `gp3-csi` (EBS CSI, ReadWriteOnce)); GPU Nodes as the NVIDIA GPU operator labels them
 * (`nvidia.com/gpu.product`, `nvidia.com/gpu` allocatable, taint `nvidia.com/gpu` NoSchedule);
 * PackageManifests (src/sim/operators/catalog.ts); DataScienceCluster `default-dsc` with KServe
 * managed; the vLLM ServingRuntime Templates OpenShift AI ships in `redhat-ods-applications`
 * (labelled `opendatahub.io/dashboard: "true"`, no TEI template: STAGES.md §5).
 */
import type { KubeObject } from '../engine/types.js';
import type { KindRegistry, ObjectStore } from './types.js';
import { CATALOG, packageManifest } from './operators/catalog.js';
import { createWithStatus } from './operators/objects.js';
import { RGW_SERVICE, NOOBAA_SERVICE, OBJECT_STORE_ROUTES } from './operators/obc.js';

/** Wildcard domain of the simulated cluster. */
export const SIM_DOMAIN = 'apps.sim.maas.example';

/** OpenShift version the simulated cluster reports (ClusterVersion `status.desired.version`). */
export const SIM_OPENSHIFT_VERSION = '4.16.21';

const NAMESPACES = [
  'default', 'kube-system', 'kube-public', 'openshift', 'openshift-config', 'openshift-config-managed', 'openshift-console',
  'openshift-ingress', 'openshift-marketplace', 'openshift-operators', 'openshift-operator-lifecycle-manager', 'openshift-storage',
  'redhat-ods-operator', 'redhat-ods-applications', 'redhat-ods-monitoring', 'nvidia-gpu-operator',
];

function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
}

function storageClasses(): KubeObject[] {
  const sc = (name: string, provisioner: string, extra: Record<string, unknown>): KubeObject => ({
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate', ...extra,
  });
  return [
    sc('gp3-csi', 'ebs.csi.aws.com', {
      metadata: { name: 'gp3-csi', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      parameters: { encrypted: 'true', type: 'gp3' }, volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true,
    }),
    sc('ocs-storagecluster-ceph-rbd', 'openshift-storage.rbd.csi.ceph.com', {
      parameters: { clusterID: 'openshift-storage', pool: 'ocs-storagecluster-cephblockpool', imageFeatures: 'layering', 'csi.storage.k8s.io/fstype': 'ext4' },
      allowVolumeExpansion: true,
    }),
    sc('ocs-storagecluster-cephfs', 'openshift-storage.cephfs.csi.ceph.com', {
      parameters: { clusterID: 'openshift-storage', fsName: 'ocs-storagecluster-cephfilesystem' }, allowVolumeExpansion: true,
    }),
    sc('ocs-storagecluster-ceph-rgw', 'openshift-storage.ceph.rook.io/bucket', {
      parameters: { objectStoreName: 'ocs-storagecluster-cephobjectstore', objectStoreNamespace: 'openshift-storage', region: 'us-east-1' },
    }),
    sc('openshift-storage.noobaa.io', 'openshift-storage.noobaa.io/obc', {
      parameters: { bucketclass: 'noobaa-default-bucket-class' },
    }),
  ];
}

function node(name: string, gpu: boolean): KubeObject {
  const capacity: Record<string, string> = gpu
    ? { cpu: '8', memory: '32386544Ki', 'ephemeral-storage': '125293548Ki', pods: '250', 'nvidia.com/gpu': '1' }
    : { cpu: '16', memory: '65034112Ki', 'ephemeral-storage': '125293548Ki', pods: '250' };
  const labels: Record<string, string> = {
    'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
    'node-role.kubernetes.io/worker': '', 'node.kubernetes.io/instance-type': gpu ? 'g5.2xlarge' : 'm6i.4xlarge',
    'topology.kubernetes.io/region': 'us-east-1', 'topology.kubernetes.io/zone': 'us-east-1a',
  };
  if (gpu) Object.assign(labels, { 'nvidia.com/gpu.present': 'true', 'nvidia.com/gpu.product': 'NVIDIA-A10G', 'nvidia.com/gpu.count': '1', 'nvidia.com/gpu.memory': '23028' });
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels },
    spec: gpu ? { taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] } : {},
    status: {
      capacity, allocatable: capacity,
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion: 'v1.29.10+67d3387', osImage: 'Red Hat Enterprise Linux CoreOS 416.94', containerRuntimeVersion: 'cri-o://1.29.10', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

/** The vLLM ServingRuntime Template OpenShift AI ships for one accelerator (STAGES.md §5). */
function vllmTemplate(variant: 'cuda' | 'cpu' | 'rocm' | 'gaudi'): KubeObject {
  const display = { cuda: 'vLLM NVIDIA GPU ServingRuntime for KServe', cpu: 'vLLM CPU ServingRuntime for KServe', rocm: 'vLLM AMD GPU ServingRuntime for KServe', gaudi: 'vLLM Intel Gaudi Accelerator ServingRuntime for KServe' }[variant];
  const accelerator = { cuda: '["nvidia.com/gpu"]', cpu: '[]', rocm: '["amd.com/gpu"]', gaudi: '["habana.ai/gaudi"]' }[variant];
  const image = { cuda: 'quay.io/modh/vllm:rhoai-2.16-cuda', cpu: 'quay.io/modh/vllm:rhoai-2.16-cpu', rocm: 'quay.io/modh/vllm:rhoai-2.16-rocm', gaudi: 'quay.io/modh/vllm:rhoai-2.16-gaudi' }[variant];
  const runtimeName = `vllm-${variant}-runtime`;
  return {
    apiVersion: 'template.openshift.io/v1', kind: 'Template',
    metadata: {
      name: `vllm-${variant}-runtime-template`, namespace: 'redhat-ods-applications',
      labels: { 'opendatahub.io/dashboard': 'true', 'opendatahub.io/ootb': 'true' },
      annotations: {
        description: `vLLM is a high-throughput and memory-efficient inference and serving engine for LLMs (${variant})`,
        'openshift.io/display-name': display, 'openshift.io/provider-display-name': 'Red Hat, Inc.', tags: `rhods,rhoai,kserve,servingruntime`,
        'opendatahub.io/modelServingSupport': '["single"]', 'opendatahub.io/apiProtocol': 'REST',
      },
    },
    objects: [{
      apiVersion: 'serving.kserve.io/v1alpha1', kind: 'ServingRuntime',
      metadata: {
        name: runtimeName,
        annotations: { 'openshift.io/display-name': display, 'opendatahub.io/recommended-accelerators': accelerator },
        labels: { 'opendatahub.io/dashboard': 'true' },
      },
      spec: {
        annotations: { 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' },
        multiModel: false,
        supportedModelFormats: [{ autoSelect: true, name: 'vLLM' }],
        containers: [{
          name: 'kserve-container', image,
          command: ['python', '-m', 'vllm.entrypoints.openai.api_server'],
          args: ['--port=8080', '--model=/mnt/models', '--served-model-name={{.Name}}'],
          env: [{ name: 'HF_HOME', value: '/tmp/hf_home' }],
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
        }],
      },
    }],
    parameters: [],
  };
}

function route(namespace: string, name: string, svc: string, domain: string): KubeObject {
  return {
    apiVersion: 'route.openshift.io/v1', kind: 'Route', metadata: { name, namespace },
    spec: { host: `${name}-${namespace}.${domain}`, to: { kind: 'Service', name: svc, weight: 100 }, port: { targetPort: 'https' }, tls: { termination: 'reencrypt', insecureEdgeTerminationPolicy: 'Allow' }, wildcardPolicy: 'None' },
  };
}

function service(namespace: string, name: string, ports: { name: string; port: number; targetPort: number }[]): KubeObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { type: 'ClusterIP', ports: ports.map((p) => ({ ...p, protocol: 'TCP' })), selector: { app: name } } };
}

/** Every object of a fresh simulated cluster, in creation order. */
export function seedObjects(domain: string = SIM_DOMAIN): KubeObject[] {
  return [
    ...NAMESPACES.map(namespace),
    { apiVersion: 'config.openshift.io/v1', kind: 'Ingress', metadata: { name: 'cluster' }, spec: { domain }, status: { defaultPlacement: 'Workers' } },
    {
      apiVersion: 'config.openshift.io/v1', kind: 'ClusterVersion', metadata: { name: 'version' },
      spec: { channel: 'stable-4.16', clusterID: '6b0e1c52-3c4e-4bd8-9a43-8f2f5f2d6c11' },
      status: {
        desired: { version: SIM_OPENSHIFT_VERSION, image: `quay.io/openshift-release-dev/ocp-release:${SIM_OPENSHIFT_VERSION}-x86_64` },
        history: [{ state: 'Completed', version: SIM_OPENSHIFT_VERSION, startedTime: '2025-01-06T09:12:44Z', completionTime: '2025-01-06T09:51:02Z', verified: false }],
        conditions: [{ type: 'Available', status: 'True', message: `Done applying ${SIM_OPENSHIFT_VERSION}` }, { type: 'Progressing', status: 'False', message: `Cluster version is ${SIM_OPENSHIFT_VERSION}` }],
      },
    },
    ...storageClasses(),
    node('ip-10-0-21-114.ec2.internal', false), node('ip-10-0-45-201.ec2.internal', false), node('ip-10-0-66-37.ec2.internal', false),
    node('ip-10-0-31-90.ec2.internal', true), node('ip-10-0-58-172.ec2.internal', true),
    ...CATALOG.map(packageManifest),
    {
      apiVersion: 'datasciencecluster.opendatahub.io/v1', kind: 'DataScienceCluster', metadata: { name: 'default-dsc', labels: { 'app.kubernetes.io/name': 'datasciencecluster' } },
      spec: { components: {
        dashboard: { managementState: 'Managed' }, workbenches: { managementState: 'Managed' }, datasciencepipelines: { managementState: 'Managed' },
        kserve: { managementState: 'Managed', defaultDeploymentMode: 'RawDeployment', serving: { managementState: 'Removed', name: 'knative-serving' } },
        modelmeshserving: { managementState: 'Removed' }, ray: { managementState: 'Removed' },
      } },
      status: {
        phase: 'Ready',
        conditions: [{ type: 'Available', status: 'True', reason: 'Available', message: '' }, { type: 'ReconcileComplete', status: 'True', reason: 'ReconcileCompleted', message: 'Reconcile completed successfully' }],
        installedComponents: { dashboard: true, workbenches: true, 'data-science-pipelines-operator': true, kserve: true },
        release: { name: 'OpenShift AI Self-Managed', version: '2.16.1' },
      },
    },
    ...(['cuda', 'cpu', 'rocm', 'gaudi'] as const).map(vllmTemplate),
    service('openshift-storage', RGW_SERVICE, [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'https', port: 443, targetPort: 8443 }]),
    service('openshift-storage', NOOBAA_SERVICE, [{ name: 's3', port: 80, targetPort: 6001 }, { name: 's3-https', port: 443, targetPort: 6443 }]),
    // The Routes ODF makes for its S3 endpoints (reachable from outside the cluster).
    route('openshift-storage', OBJECT_STORE_ROUTES.rgw, RGW_SERVICE, domain),
    route('openshift-storage', OBJECT_STORE_ROUTES.noobaa, NOOBAA_SERVICE, domain),
  ];
}

/**
 * Writes the seed into an empty store. Objects that already exist are left alone (a store
 * reloaded from a state directory is never re-seeded: index.ts only calls this when it is empty).
 */
export function seedCluster(store: ObjectStore, kinds: KindRegistry, domain: string = SIM_DOMAIN): void {
  for (const obj of seedObjects(domain)) {
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    const kind = kinds.find(obj.kind, group) ?? kinds.byKind(obj.kind);
    if (store.get(kind, obj.metadata.namespace, obj.metadata.name ?? '')) continue;
    createWithStatus(store, kind, obj);
  }
}
