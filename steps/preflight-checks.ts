/**
 * The read-only checks of preflight (STAGES.md §0). Each reads the cluster through `KubeClient`
 * and returns a `PreflightCheck` (pass / warn / fail with the fix) plus the facts it found.
 * Sources of the facts are named on each function.
 */
import type { KubeClient } from '../src/cluster/kube.js';
import type { KubeObject, StageId } from '../src/engine/types.js';
import { DEFAULT_NAMESPACES } from './preflight-facts.js';
import type { GpuFacts, OperatorPackage, PreflightCheck, StorageClassFact, Toleration } from './preflight-facts.js';

/** One permission a later stage needs: verb on resource of API group, in a namespace or cluster-wide. */
export interface RequiredAccess {
  verb: string;
  group: string;
  resource: string;
  namespace?: string;
  stage: StageId;
}

const P = DEFAULT_NAMESPACES.project;
const SSO = DEFAULT_NAMESPACES.sso;
const TS = DEFAULT_NAMESPACES.threescale;

/**
 * The permissions the later stages need, in their default namespaces (STAGES.md §1–§9).
 * `projectCreate` is `projectrequests` on OpenShift, `namespaces` elsewhere.
 */
export function requiredAccess(isOpenShift: boolean): RequiredAccess[] {
  return [
    isOpenShift
      ? { verb: 'create', group: 'project.openshift.io', resource: 'projectrequests', stage: 'project' }
      : { verb: 'create', group: '', resource: 'namespaces', stage: 'project' },
    { verb: 'patch', group: '', resource: 'namespaces', namespace: P, stage: 'project' },
    { verb: 'create', group: 'objectbucket.io', resource: 'objectbucketclaims', namespace: P, stage: 'storage' },
    { verb: 'get', group: '', resource: 'configmaps', namespace: P, stage: 'storage' },
    { verb: 'get', group: '', resource: 'secrets', namespace: P, stage: 'storage' },
    { verb: 'create', group: '', resource: 'secrets', namespace: P, stage: 'data-connection' },
    { verb: 'create', group: 'batch', resource: 'jobs', namespace: P, stage: 'import' },
    { verb: 'create', group: 'serving.kserve.io', resource: 'servingruntimes', namespace: P, stage: 'serving' },
    { verb: 'create', group: 'serving.kserve.io', resource: 'inferenceservices', namespace: P, stage: 'serving' },
    { verb: 'create', group: '', resource: 'namespaces', stage: 'sso' },
    { verb: 'create', group: 'operators.coreos.com', resource: 'operatorgroups', namespace: SSO, stage: 'sso' },
    { verb: 'create', group: 'operators.coreos.com', resource: 'subscriptions', namespace: SSO, stage: 'sso' },
    { verb: 'create', group: 'keycloak.org', resource: 'keycloaks', namespace: SSO, stage: 'sso' },
    { verb: 'create', group: 'keycloak.org', resource: 'keycloakrealms', namespace: SSO, stage: 'sso' },
    { verb: 'get', group: '', resource: 'secrets', namespace: SSO, stage: 'sso' },
    { verb: 'create', group: 'operators.coreos.com', resource: 'operatorgroups', namespace: TS, stage: '3scale' },
    { verb: 'create', group: 'operators.coreos.com', resource: 'subscriptions', namespace: TS, stage: '3scale' },
    { verb: 'create', group: 'apps.3scale.net', resource: 'apimanagers', namespace: TS, stage: '3scale' },
    { verb: 'create', group: '', resource: 'secrets', namespace: TS, stage: '3scale' },
    { verb: 'get', group: '', resource: 'secrets', namespace: TS, stage: '3scale' },
    { verb: 'create', group: 'capabilities.3scale.net', resource: 'custompolicydefinitions', namespace: TS, stage: 'policies' },
  ];
}

/** `verb resource.group -n ns` as `oc auth can-i` takes it. */
export function describeAccess(a: Pick<RequiredAccess, 'verb' | 'group' | 'resource' | 'namespace'>): string {
  return `${a.verb} ${a.resource}${a.group ? `.${a.group}` : ''}${a.namespace ? ` in ${a.namespace}` : ' (cluster-wide)'}`;
}

/** One SelfSubjectAccessReview per required permission, all at once; every missing one listed in one check. */
export async function checkPermissions(kube: KubeClient, isOpenShift: boolean, user: string): Promise<PreflightCheck> {
  const needed = requiredAccess(isOpenShift);
  const allowed = await Promise.all(needed.map((a) => kube.selfSubjectAccessReview(a.verb, a.group, a.resource, a.namespace)));
  const missing = needed.filter((_, i) => !allowed[i]);
  if (missing.length === 0) return { id: 'permissions', status: 'pass', message: `${user} has the ${needed.length} permissions the setup needs` };
  const blocks = [...new Set(missing.map((m) => m.stage))];
  return {
    id: 'permissions',
    status: 'fail',
    message: `${user} lacks ${missing.length} permission${missing.length > 1 ? 's' : ''}: ${missing.map(describeAccess).join('; ')}`,
    fix: `ask a cluster admin to grant them (e.g. \`oc adm policy add-cluster-role-to-user cluster-admin ${user}\` for the whole setup), then run preflight again`,
    blocks,
  };
}

/** OpenShift AI with KServe managed: DataScienceCluster (datasciencecluster.opendatahub.io/v1) `spec.components.kserve.managementState`. */
export async function checkOpenShiftAi(kube: KubeClient): Promise<{ check: PreflightCheck; kserve?: string }> {
  const dscs = await kube.list('datasciencecluster.opendatahub.io/v1', 'DataScienceCluster');
  const dsc = dscs[0];
  if (!dsc) {
    return {
      check: {
        id: 'openshift-ai',
        status: 'fail',
        message: 'OpenShift AI is not installed: no DataScienceCluster found',
        fix: 'install the Red Hat OpenShift AI operator and create a DataScienceCluster with KServe Managed',
        blocks: ['serving'],
      },
    };
  }
  const state = (dsc['spec'] as { components?: { kserve?: { managementState?: string } } } | undefined)?.components?.kserve?.managementState ?? 'Removed';
  if (state !== 'Managed') {
    return {
      kserve: state,
      check: {
        id: 'openshift-ai',
        status: 'fail',
        message: `OpenShift AI is installed but KServe is ${state} in DataScienceCluster ${dsc.metadata.name ?? ''}`,
        fix: `oc patch datasciencecluster ${dsc.metadata.name ?? 'default-dsc'} --type merge -p '{"spec":{"components":{"kserve":{"managementState":"Managed"}}}}'`,
        blocks: ['serving'],
      },
    };
  }
  return { kserve: state, check: { id: 'openshift-ai', status: 'pass', message: `OpenShift AI is installed with KServe Managed (DataScienceCluster ${dsc.metadata.name ?? ''})` } };
}

/** Reads a PackageManifest (packages.operators.coreos.com/v1, in openshift-marketplace): default channel and catalog source. */
async function readPackage(kube: KubeClient, name: string): Promise<OperatorPackage | undefined> {
  const pm = await kube.get('packages.operators.coreos.com/v1', 'PackageManifest', name, 'openshift-marketplace');
  const status = pm?.['status'] as { catalogSource?: string; catalogSourceNamespace?: string; defaultChannel?: string; channels?: { name?: string }[] } | undefined;
  if (!status?.defaultChannel || !status.catalogSource) return undefined;
  return {
    package: name,
    channel: status.defaultChannel,
    source: status.catalogSource,
    sourceNamespace: status.catalogSourceNamespace ?? 'openshift-marketplace',
    channels: (status.channels ?? []).map((c) => c.name ?? '').filter(Boolean),
  };
}

/** The catalog sources present in openshift-marketplace (operators.coreos.com/v1alpha1 CatalogSource), for messages. */
async function catalogNames(kube: KubeClient): Promise<string[]> {
  try {
    return (await kube.list('operators.coreos.com/v1alpha1', 'CatalogSource', 'openshift-marketplace')).map((c) => c.metadata.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * The operator packages: `rhsso-operator` (or `rhbk-operator`) and `3scale-operator`, both
 * expected in the `redhat-operators` catalog. A missing package is a fail naming the catalog.
 */
export async function checkOperators(kube: KubeClient): Promise<{ checks: PreflightCheck[]; rhsso?: OperatorPackage; threescale?: OperatorPackage }> {
  const [rhsso, rhbk, threescale] = await Promise.all([readPackage(kube, 'rhsso-operator'), readPackage(kube, 'rhbk-operator'), readPackage(kube, '3scale-operator')]);
  const needCatalogs = !rhsso || !threescale;
  const catalogs = needCatalogs ? await catalogNames(kube) : [];
  const where = `the catalogs of openshift-marketplace${catalogs.length > 0 ? ` (${catalogs.join(', ')})` : ''}`;
  const checks: PreflightCheck[] = [];
  const sso = rhsso ?? rhbk;
  if (rhsso) {
    checks.push({ id: 'operator.rhsso', status: 'pass', message: `rhsso-operator is available: channel ${rhsso.channel} from ${rhsso.source}` });
  } else if (rhbk) {
    checks.push({
      id: 'operator.rhsso',
      status: 'warn',
      message: `rhsso-operator is not in ${where}; only rhbk-operator (Red Hat build of Keycloak, channel ${rhbk.channel} from ${rhbk.source}) is`,
      fix: 'add the redhat-operators catalog that ships rhsso-operator, or use the Red Hat build of Keycloak',
    });
  } else {
    checks.push({
      id: 'operator.rhsso',
      status: 'fail',
      message: `the package rhsso-operator (Red Hat SSO) is not in ${where}; expected in redhat-operators`,
      fix: 'enable the redhat-operators CatalogSource (or mirror rhsso-operator into your catalog on a disconnected cluster)',
      blocks: ['sso', 'portal'],
    });
  }
  if (threescale) {
    checks.push({ id: 'operator.3scale', status: 'pass', message: `3scale-operator is available: channel ${threescale.channel} from ${threescale.source} (channels ${threescale.channels.join(', ')})` });
  } else {
    checks.push({
      id: 'operator.3scale',
      status: 'fail',
      message: `the package 3scale-operator is not in ${where}; expected in redhat-operators`,
      fix: 'enable the redhat-operators CatalogSource (or mirror 3scale-operator into your catalog on a disconnected cluster)',
      blocks: ['3scale', 'policies', 'portal', 'verify'],
    });
  }
  return { checks, ...(sso ? { rhsso: sso } : {}), ...(threescale ? { threescale } : {}) };
}

/** Provisioners that serve ObjectBucketClaims: ODF's Ceph RGW and NooBaa (Multicloud Object Gateway). */
function bucketKind(provisioner: string): 'rgw' | 'noobaa' | undefined {
  if (provisioner.endsWith('.ceph.rook.io/bucket')) return 'rgw';
  if (provisioner.endsWith('noobaa.io/obc')) return 'noobaa';
  return undefined;
}

/**
 * Provisioners known to offer ReadWriteMany file volumes (CephFS in ODF, NFS, cloud file
 * services). A StorageClass does not declare its access modes, so this table is the best signal.
 */
const RWX_PROVISIONERS = [/cephfs\.csi\.ceph\.com$/, /nfs/i, /^efs\.csi\.aws\.com$/, /^file\.csi\.azure\.com$/, /^kubernetes\.io\/azure-file$/, /^filestore\.csi\.storage\.gke\.io$/, /^csi\.ibm\.com\/vpc-file$/];

/**
 * StorageClasses (storage.k8s.io/v1): a bucket class for the ObjectBucketClaim (C2) and a
 * ReadWriteMany class for 3scale system storage (C9).
 */
export async function checkStorage(kube: KubeClient): Promise<{ checks: PreflightCheck[]; bucketClasses: StorageClassFact[]; bucketClass?: string; rwxClasses: StorageClassFact[]; rwxClass?: string }> {
  const classes = (await kube.list('storage.k8s.io/v1', 'StorageClass')).map((sc) => ({ name: sc.metadata.name ?? '', provisioner: String(sc['provisioner'] ?? '') }));
  const bucketClasses: StorageClassFact[] = [];
  for (const c of classes) {
    const kind = bucketKind(c.provisioner);
    if (kind) bucketClasses.push({ ...c, kind });
  }
  const rgw = bucketClasses.find((c) => c.kind === 'rgw');
  const noobaa = bucketClasses.find((c) => c.kind === 'noobaa');
  const rwxClasses = classes.filter((c) => RWX_PROVISIONERS.some((re) => re.test(c.provisioner)));
  const checks: PreflightCheck[] = [];
  if (rgw) checks.push({ id: 'storage.bucket', status: 'pass', message: `bucket class ${rgw.name} (${rgw.provisioner}) will hold the models` });
  else if (noobaa)
    checks.push({
      id: 'storage.bucket',
      status: 'warn',
      message: `no Ceph RGW bucket class (provisioner openshift-storage.ceph.rook.io/bucket); the NooBaa class ${noobaa.name} will be used`,
      fix: `keep the NooBaa class ${noobaa.name}, or choose "existing S3" in the storage step`,
    });
  else
    checks.push({
      id: 'storage.bucket',
      status: 'warn',
      message: `no bucket class for an ObjectBucketClaim (neither Ceph RGW nor NooBaa); StorageClasses: ${classes.map((c) => c.name).join(', ') || 'none'}`,
      fix: 'choose "existing S3" in the storage step (endpoint, bucket and keys), or install OpenShift Data Foundation',
    });
  const bucketClass = rgw?.name ?? noobaa?.name;
  const rwx = rwxClasses[0];
  if (rwx) checks.push({ id: 'storage.rwx', status: 'pass', message: `ReadWriteMany class ${rwx.name} (${rwx.provisioner}) will hold 3scale system storage` });
  else
    checks.push({
      id: 'storage.rwx',
      status: 'warn',
      message: `no ReadWriteMany-capable StorageClass (e.g. CephFS); a system-storage PVC would stay Pending and 3scale never become Available`,
      fix: 'choose S3 file storage for 3scale system storage in the 3scale step, or install a ReadWriteMany class (ODF CephFS, NFS)',
    });
  return { checks, bucketClasses, ...(bucketClass ? { bucketClass } : {}), rwxClasses, ...(rwx ? { rwxClass: rwx.name } : {}) };
}

/** Tolerations for taints (core/v1 Node `spec.taints`): `Equal` with the value when set, else `Exists`. */
export function tolerationsFor(taints: { key?: string; value?: string; effect?: string }[]): Toleration[] {
  const out: Toleration[] = [];
  for (const t of taints) {
    if (!t.key) continue;
    const tol: Toleration = t.value ? { key: t.key, operator: 'Equal', value: t.value } : { key: t.key, operator: 'Exists' };
    if (t.effect) tol.effect = t.effect;
    if (!out.some((o) => JSON.stringify(o) === JSON.stringify(tol))) out.push(tol);
  }
  return out;
}

/** GPU nodes: `status.allocatable["nvidia.com/gpu"]`, label `nvidia.com/gpu.product`, `spec.taints`. */
export async function checkGpus(kube: KubeClient): Promise<{ check: PreflightCheck; gpu?: GpuFacts }> {
  const nodes = await kube.list('v1', 'Node');
  const gpuNodes = nodes
    .map((n: KubeObject) => ({
      name: n.metadata.name ?? '',
      count: Number.parseInt(String((n['status'] as { allocatable?: Record<string, string> } | undefined)?.allocatable?.['nvidia.com/gpu'] ?? '0'), 10) || 0,
      product: n.metadata.labels?.['nvidia.com/gpu.product'] ?? 'unknown GPU',
      taints: ((n['spec'] as { taints?: { key?: string; value?: string; effect?: string }[] } | undefined)?.taints ?? []).filter((t) => !t.key?.startsWith('node.kubernetes.io/')),
    }))
    .filter((n) => n.count > 0)
    .sort((a, b) => b.count - a.count);
  const top = gpuNodes[0];
  if (!top) {
    return {
      check: {
        id: 'gpu',
        status: 'warn',
        message: 'no node has nvidia.com/gpu allocatable; vLLM models need a GPU',
        fix: 'add GPU nodes with the NVIDIA GPU operator, or serve only CPU runtimes (embeddings)',
      },
    };
  }
  const gpu: GpuFacts = {
    product: top.product,
    count: top.count,
    total: gpuNodes.reduce((s, n) => s + n.count, 0),
    nodes: gpuNodes.length,
    tolerations: tolerationsFor(gpuNodes.flatMap((n) => n.taints)),
  };
  return {
    gpu,
    check: { id: 'gpu', status: 'pass', message: `${gpu.nodes} GPU node${gpu.nodes > 1 ? 's' : ''} (${gpu.product}), up to ${gpu.count} GPU${gpu.count > 1 ? 's' : ''} per node, ${gpu.total} in all` },
  };
}

/** The wildcard domain: `ingresses.config.openshift.io/cluster` `spec.domain`. */
export async function checkDomain(kube: KubeClient): Promise<{ check: PreflightCheck; domain?: string }> {
  const ingress = await kube.get('config.openshift.io/v1', 'Ingress', 'cluster');
  const domain = (ingress?.['spec'] as { domain?: string } | undefined)?.domain;
  if (!domain) {
    return {
      check: {
        id: 'domain',
        status: 'fail',
        message: 'the wildcard domain could not be read (ingresses.config.openshift.io/cluster spec.domain)',
        fix: 'run on OpenShift, or ask a cluster admin for read access to ingresses.config.openshift.io',
        blocks: ['sso', '3scale', 'portal', 'verify'],
      },
    };
  }
  return { domain, check: { id: 'domain', status: 'pass', message: `routes live under *.${domain}` } };
}

/** OpenShift version: ClusterVersion `version` (config.openshift.io/v1) `status.desired.version`, else the newest history entry. */
export async function readVersion(kube: KubeClient): Promise<string | undefined> {
  const cv = await kube.get('config.openshift.io/v1', 'ClusterVersion', 'version');
  const status = cv?.['status'] as { desired?: { version?: string }; history?: { version?: string }[] } | undefined;
  return status?.desired?.version ?? status?.history?.[0]?.version;
}
