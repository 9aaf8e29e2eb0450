/**
 * The kinds the simulated API server knows (SIMULATOR.md §1), with the names discovery gives them.
 *
 * Sources: core and apps/batch/storage kinds from the Kubernetes API (kubernetes-release-1.36
 * swagger, `kubectl api-resources` short names); OpenShift kinds from openshift/api; custom kinds
 * from their CRDs in ../shared/reference/crds (group, version marked `storage`, plural, singular,
 * shortNames, scope, `subresources`). DataScienceCluster and PackageManifest come from the
 * OpenShift AI operator and the OLM package server (`dsc`, no short name for PackageManifest).
 */
import type { KindRegistry, ResourceKind } from './types.js';

/** Verbs of an ordinary read-write resource, in the order the real discovery lists them. */
export const RW_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface KindSpec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  shortNames?: string[];
  /** Default: namespaced. */
  cluster?: boolean;
  subresources?: string[];
  verbs?: string[];
  installedBy?: string;
}

const STATUS = ['status'];

/** Every kind the simulation serves (SIMULATOR.md §1). */
const SPECS: KindSpec[] = [
  // core/v1
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', shortNames: ['ns'], cluster: true, subresources: STATUS,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets' },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', shortNames: ['svc'], subresources: ['status', 'proxy'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', shortNames: ['po'], subresources: ['status', 'log'] },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', shortNames: ['pvc'], subresources: STATUS },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', shortNames: ['no'], cluster: true, subresources: STATUS },
  { group: '', version: 'v1', kind: 'Event', plural: 'events', shortNames: ['ev'] },
  // storage.k8s.io, apps, batch
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', shortNames: ['sc'], cluster: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', shortNames: ['deploy'], subresources: STATUS },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', subresources: STATUS },
  // OpenShift
  { group: 'project.openshift.io', version: 'v1', kind: 'Project', plural: 'projects', cluster: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] },
  { group: 'project.openshift.io', version: 'v1', kind: 'ProjectRequest', plural: 'projectrequests', cluster: true,
    verbs: ['create', 'list'] },
  { group: 'route.openshift.io', version: 'v1', kind: 'Route', plural: 'routes', subresources: STATUS },
  { group: 'config.openshift.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', cluster: true, subresources: STATUS },
  { group: 'config.openshift.io', version: 'v1', kind: 'ClusterVersion', plural: 'clusterversions', cluster: true, subresources: STATUS },
  { group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews',
    cluster: true, verbs: ['create'] },
  { group: 'user.openshift.io', version: 'v1', kind: 'User', plural: 'users', cluster: true },
  { group: 'template.openshift.io', version: 'v1', kind: 'Template', plural: 'templates' },
  // OLM
  { group: 'packages.operators.coreos.com', version: 'v1', kind: 'PackageManifest', plural: 'packagemanifests',
    verbs: ['get', 'list'] },
  { group: 'operators.coreos.com', version: 'v1', kind: 'OperatorGroup', plural: 'operatorgroups', shortNames: ['og'], subresources: STATUS },
  { group: 'operators.coreos.com', version: 'v1alpha1', kind: 'Subscription', plural: 'subscriptions', shortNames: ['sub', 'subs'], subresources: STATUS },
  { group: 'operators.coreos.com', version: 'v1alpha1', kind: 'InstallPlan', plural: 'installplans', shortNames: ['ip'], subresources: STATUS },
  { group: 'operators.coreos.com', version: 'v1alpha1', kind: 'ClusterServiceVersion', plural: 'clusterserviceversions',
    shortNames: ['csv', 'csvs'], subresources: STATUS },
  // OpenShift AI, ODF, KServe, Kubeflow
  { group: 'datasciencecluster.opendatahub.io', version: 'v1', kind: 'DataScienceCluster', plural: 'datascienceclusters',
    shortNames: ['dsc'], cluster: true, subresources: STATUS },
  { group: 'objectbucket.io', version: 'v1alpha1', kind: 'ObjectBucketClaim', plural: 'objectbucketclaims', shortNames: ['obc', 'obcs'],
    subresources: STATUS },
  { group: 'serving.kserve.io', version: 'v1alpha1', kind: 'ServingRuntime', plural: 'servingruntimes' },
  { group: 'serving.kserve.io', version: 'v1beta1', kind: 'InferenceService', plural: 'inferenceservices', shortNames: ['isvc'],
    subresources: STATUS },
  { group: 'kubeflow.org', version: 'v1', kind: 'Notebook', plural: 'notebooks', subresources: STATUS },
  // RH-SSO (legacy Keycloak operator) and 3scale operator
  { group: 'keycloak.org', version: 'v1alpha1', kind: 'Keycloak', plural: 'keycloaks', subresources: STATUS, installedBy: 'rhsso-operator' },
  { group: 'keycloak.org', version: 'v1alpha1', kind: 'KeycloakRealm', plural: 'keycloakrealms', subresources: STATUS,
    installedBy: 'rhsso-operator' },
  { group: 'apps.3scale.net', version: 'v1alpha1', kind: 'APIManager', plural: 'apimanagers', subresources: STATUS,
    installedBy: '3scale-operator' },
  { group: 'capabilities.3scale.net', version: 'v1beta1', kind: 'CustomPolicyDefinition', plural: 'custompolicydefinitions',
    subresources: STATUS, installedBy: '3scale-operator' },
];

function toKind(spec: KindSpec): ResourceKind {
  const kind: ResourceKind = {
    group: spec.group,
    version: spec.version,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    plural: spec.plural,
    singular: spec.kind.toLowerCase(),
    shortNames: spec.shortNames ?? [],
    namespaced: !spec.cluster,
    verbs: spec.verbs ?? RW_VERBS,
    subresources: spec.subresources ?? [],
  };
  if (spec.installedBy !== undefined) kind.installedBy = spec.installedBy;
  return kind;
}

/** True when the kind has a `status` subresource (a write to the main resource then ignores `status`). */
export function hasStatus(kind: ResourceKind): boolean {
  return kind.subresources.includes('status');
}

/**
 * Creates the registry of every kind the simulation knows. Kinds with `installedBy` are known but
 * not served until `markInstalled(package)` (the simulated OLM calls it when the CSV succeeds).
 */
export function createKindRegistry(): KindRegistry {
  const kinds = SPECS.map(toKind);
  const installed = new Set<string>();
  const isServed = (k: ResourceKind): boolean => k.installedBy === undefined || installed.has(k.installedBy);
  return {
    all: () => [...kinds],
    served: () => kinds.filter(isServed),
    find(name, group) {
      const lower = name.toLowerCase();
      const candidates = group === undefined ? kinds : kinds.filter((k) => k.group === group);
      return (
        candidates.find((k) => k.kind === name) ??
        candidates.find((k) => k.plural === lower || k.singular === lower) ??
        candidates.find((k) => k.shortNames.includes(lower))
      );
    },
    byKind(name) {
      const found = kinds.find((k) => k.kind === name);
      if (!found) throw new Error(`simulation bug: unknown kind ${name}`);
      return found;
    },
    markInstalled(packageName) {
      installed.add(packageName);
    },
    isServed,
  };
}
