/**
 * The simulation accepts exactly the manifests the real CRD schemas accept. For each custom kind,
 * a corpus of valid and broken manifests is checked with ajv against the real CRD's
 * `openAPIV3Schema` (read at run time from ../shared/reference/crds; Kubernetes-only keywords such
 * as `x-kubernetes-*` and int32/int64 formats are ignored by ajv here; defaults are applied first,
 * as the API server's structural defaulting does before validation), and POSTed to the simulated
 * API server: 201 where ajv accepts, 422 where it refuses. The corpus labels are checked against
 * ajv too, so a broken manifest the real schema would accept is caught as a corpus mistake.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ref = path.resolve(root, '../shared/reference/crds');
const has = existsSync(ref);
if (!has) console.warn('skipped: ../shared/reference/crds absent');

type Manifest = Record<string, unknown>;
interface KindCorpus {
  file: string;
  version: string;
  apiVersion: string;
  kind: string;
  plural: string;
  installedBy?: string;
  valid: Manifest[];
  broken: Manifest[];
}

const m = (apiVersion: string, kind: string, name: string, spec?: unknown, extra: Manifest = {}): Manifest => ({
  apiVersion, kind, metadata: { name }, ...(spec === undefined ? {} : { spec }), ...extra,
});

const OBC = 'objectbucket.io/v1alpha1';
const SR = 'serving.kserve.io/v1alpha1';
const ISVC = 'serving.kserve.io/v1beta1';
const KC = 'keycloak.org/v1alpha1';
const TS = 'apps.3scale.net/v1alpha1';
const CPD = 'capabilities.3scale.net/v1beta1';
const OLM1 = 'operators.coreos.com/v1alpha1';
const OLM = 'operators.coreos.com/v1';
const ROUTE = 'route.openshift.io/v1';
const NB = 'kubeflow.org/v1';

const vllm = { name: 'kserve-container', image: 'quay.io/modh/vllm:latest', args: ['--port=8080', '--model=/mnt/models'] };
const model = { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storage: { key: 'aws-connection-models', path: 'mistral/' } };
const cpdSchema = { $schema: 'http://json-schema.org/draft-07/schema#', name: 'Remove Bearer', summary: 'Removes Bearer', version: '0.1', configuration: { type: 'object', properties: {} } };

const CORPUS: KindCorpus[] = [
  {
    file: 'objectbucket.io_objectbucketclaims_crd.yaml', version: 'v1alpha1', apiVersion: OBC, kind: 'ObjectBucketClaim', plural: 'objectbucketclaims',
    valid: [
      m(OBC, 'ObjectBucketClaim', 'v1', { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' }),
      m(OBC, 'ObjectBucketClaim', 'v2', { bucketName: 'fixed', storageClassName: 'openshift-storage.noobaa.io' }),
      m(OBC, 'ObjectBucketClaim', 'v3', { storageClassName: 'sc', additionalConfig: { maxObjects: '100' } }),
      m(OBC, 'ObjectBucketClaim', 'v4', { storageClassName: 'sc', somethingUnknown: 1 }),
    ],
    broken: [
      m(OBC, 'ObjectBucketClaim', 'b1', { generateBucketName: 'models' }),
      m(OBC, 'ObjectBucketClaim', 'b2', { storageClassName: 5 }),
      m(OBC, 'ObjectBucketClaim', 'b3', { storageClassName: 'sc', generateBucketName: ['a'] }),
      m(OBC, 'ObjectBucketClaim', 'b4', { storageClassName: 'sc', additionalConfig: { maxObjects: 100 } }),
      m(OBC, 'ObjectBucketClaim', 'b5', { storageClassName: 'sc', additionalConfig: 'x' }),
      m(OBC, 'ObjectBucketClaim', 'b6', 'spec-as-string'),
      m(OBC, 'ObjectBucketClaim', 'b7', { storageClassName: 'sc', bucketName: true }),
    ],
  },
  {
    file: 'serving.kserve.io_servingruntimes.yaml', version: 'v1alpha1', apiVersion: SR, kind: 'ServingRuntime', plural: 'servingruntimes',
    valid: [
      m(SR, 'ServingRuntime', 'v1', { containers: [vllm] }),
      m(SR, 'ServingRuntime', 'v2', { containers: [vllm], supportedModelFormats: [{ name: 'vLLM', autoSelect: true }], multiModel: false }),
      m(SR, 'ServingRuntime', 'v3', { containers: [{ ...vllm, ports: [{ containerPort: 8080, protocol: 'TCP' }] }], protocolVersions: ['v2'], annotations: { 'prometheus.io/port': '8080' } }),
      m(SR, 'ServingRuntime', 'v4', { containers: [{ ...vllm, env: [{ name: 'HF_HOME', value: '/tmp/hf_home' }] }], volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }] }),
    ],
    broken: [
      m(SR, 'ServingRuntime', 'b1', {}),
      m(SR, 'ServingRuntime', 'b2', { containers: [{ image: 'x' }] }),
      m(SR, 'ServingRuntime', 'b3', { containers: 'x' }),
      m(SR, 'ServingRuntime', 'b4', { containers: [vllm], supportedModelFormats: [{ autoSelect: true }] }),
      m(SR, 'ServingRuntime', 'b5', { containers: [vllm], supportedModelFormats: [{ name: 'vLLM', priority: 0 }] }),
      m(SR, 'ServingRuntime', 'b6', { containers: [vllm], multiModel: 'no' }),
      m(SR, 'ServingRuntime', 'b7', { containers: [{ ...vllm, args: '--port=8080' }] }),
      m(SR, 'ServingRuntime', 'b8', { containers: [{ ...vllm, ports: [{ name: 'http' }] }] }),
    ],
  },
  {
    file: 'serving.kserve.io_inferenceservices.yaml', version: 'v1beta1', apiVersion: ISVC, kind: 'InferenceService', plural: 'inferenceservices',
    valid: [
      m(ISVC, 'InferenceService', 'v1', { predictor: { model } }),
      m(ISVC, 'InferenceService', 'v2', { predictor: { model: { ...model, resources: { limits: { 'nvidia.com/gpu': '1', memory: '16Gi' }, requests: { cpu: 2 } } }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } }),
      m(ISVC, 'InferenceService', 'v3', { predictor: { model, minReplicas: 1, maxReplicas: 1, scaleMetric: 'concurrency' } }),
      m(ISVC, 'InferenceService', 'v4', { predictor: { containers: [{ name: 'kserve-container', image: 'x' }] } }),
      m(ISVC, 'InferenceService', 'v5', undefined),
    ],
    broken: [
      m(ISVC, 'InferenceService', 'b1', {}),
      m(ISVC, 'InferenceService', 'b2', { predictor: { model: { ...model, modelFormat: {} } } }),
      m(ISVC, 'InferenceService', 'b3', { predictor: { model, minReplicas: 'one' } }),
      m(ISVC, 'InferenceService', 'b4', { predictor: { model, scaleMetric: 'gpu' } }),
      m(ISVC, 'InferenceService', 'b5', { predictor: { model: { ...model, resources: { limits: { 'nvidia.com/gpu': 'lots' } } } } }),
      m(ISVC, 'InferenceService', 'b6', { predictor: { model: { ...model, storage: { key: 7 } } } }),
      m(ISVC, 'InferenceService', 'b7', { predictor: { model, tolerations: [{ tolerationSeconds: 'x' }] } }),
    ],
  },
  {
    file: 'keycloak.org_keycloaks_crd.yaml', version: 'v1alpha1', apiVersion: KC, kind: 'Keycloak', plural: 'keycloaks', installedBy: 'rhsso-operator',
    valid: [
      m(KC, 'Keycloak', 'v1', { externalAccess: { enabled: true }, instances: 1 }),
      m(KC, 'Keycloak', 'v2', {}),
      m(KC, 'Keycloak', 'v3', { externalAccess: { enabled: true, tlsTermination: 'reencrypt' }, externalDatabase: { enabled: false } }),
      m(KC, 'Keycloak', 'v4', { instances: 2, profile: 'RHSSO', unmanaged: false }),
    ],
    broken: [
      m(KC, 'Keycloak', 'b1', { instances: '1' }),
      m(KC, 'Keycloak', 'b2', { externalAccess: { enabled: 'true' } }),
      m(KC, 'Keycloak', 'b3', { externalAccess: true }),
      m(KC, 'Keycloak', 'b4', { instances: 1.5 }),
      m(KC, 'Keycloak', 'b5', { externalDatabase: { enabled: 1 } }),
      m(KC, 'Keycloak', 'b6', { profile: 3 }),
    ],
  },
  {
    file: 'keycloak.org_keycloakrealms_crd.yaml', version: 'v1alpha1', apiVersion: KC, kind: 'KeycloakRealm', plural: 'keycloakrealms', installedBy: 'rhsso-operator',
    valid: [
      m(KC, 'KeycloakRealm', 'v1', { instanceSelector: { matchLabels: { app: 'rh-sso' } }, realm: { id: 'maas', realm: 'maas', displayName: 'MaaS', enabled: true } }),
      m(KC, 'KeycloakRealm', 'v2', { realm: { realm: 'maas' } }),
      m(KC, 'KeycloakRealm', 'v3', { realm: { realm: 'maas', sslRequired: 'external', clients: [{ clientId: '3scale' }] } }),
      m(KC, 'KeycloakRealm', 'v4', { realm: { realm: 'maas', accessTokenLifespan: 300 }, unmanaged: false }),
    ],
    broken: [
      m(KC, 'KeycloakRealm', 'b1', {}),
      m(KC, 'KeycloakRealm', 'b2', { realm: { id: 'maas' } }),
      m(KC, 'KeycloakRealm', 'b3', { realm: { realm: 'maas', enabled: 'yes' } }),
      m(KC, 'KeycloakRealm', 'b4', { realm: { realm: 'maas' }, instanceSelector: { matchLabels: { app: 1 } } }),
      m(KC, 'KeycloakRealm', 'b5', { realm: { realm: 'maas', clients: [{ name: 'no-client-id' }] } }),
      m(KC, 'KeycloakRealm', 'b6', { realm: 'maas' }),
      m(KC, 'KeycloakRealm', 'b7', { realm: { realm: 'maas', accessTokenLifespan: '5m' } }),
    ],
  },
  {
    file: 'apps.3scale.net_apimanagers.yaml', version: 'v1alpha1', apiVersion: TS, kind: 'APIManager', plural: 'apimanagers', installedBy: '3scale-operator',
    valid: [
      m(TS, 'APIManager', 'v1', { wildcardDomain: 'apps.example.com' }),
      m(TS, 'APIManager', 'v2', { wildcardDomain: 'apps.example.com', tenantName: 'maas', resourceRequirementsEnabled: false, system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'ocs-storagecluster-cephfs' } } } }),
      m(TS, 'APIManager', 'v3', { wildcardDomain: 'a.b', apicast: { stagingSpec: { customPolicies: [{ name: 'remove-bearer', version: '0.1', secretRef: { name: 'cp-bearer' } }] } } }),
      m(TS, 'APIManager', 'v4', { wildcardDomain: 'a.b', externalComponents: { backend: { redis: true }, system: { database: true, redis: true } }, highAvailability: { enabled: true } }),
      m(TS, 'APIManager', 'v5', { wildcardDomain: 'a.b', system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 's3-auth' } } } } }),
      m(TS, 'APIManager', 'v6', { wildcardDomain: 'a.b', system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 's3-auth' }, sts: { enabled: true, audience: 'openshift' } } } } }),
      m(TS, 'APIManager', 'v7', { wildcardDomain: 'a.b', system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'cephfs', resources: { requests: '10Gi' } } } } }),
    ],
    broken: [
      m(TS, 'APIManager', 'b1', { tenantName: 'maas' }),
      m(TS, 'APIManager', 'b2', { wildcardDomain: 5 }),
      m(TS, 'APIManager', 'b3', { wildcardDomain: 'a.b', resourceRequirementsEnabled: 'false' }),
      m(TS, 'APIManager', 'b4', { wildcardDomain: 'a.b', apicast: { productionSpec: { customPolicies: [{ name: 'remove-bearer', secretRef: { name: 'x' } }] } } }),
      m(TS, 'APIManager', 'b5', { wildcardDomain: 'a.b', externalComponents: { system: { redis: 'yes' } } }),
      m(TS, 'APIManager', 'b6', { wildcardDomain: 'a.b', highAvailability: { enabled: 1 } }),
      m(TS, 'APIManager', 'b7', { wildcardDomain: 'a.b', system: { fileStorage: { simpleStorageService: {} } } }),
      m(TS, 'APIManager', 'b8', { wildcardDomain: 'a.b', system: { fileStorage: { simpleStorageService: { configurationSecretRef: 's3-auth' } } } }),
      m(TS, 'APIManager', 'b9', { wildcardDomain: 'a.b', system: { fileStorage: { simpleStorageService: { configurationSecretRef: { name: 's3-auth' }, sts: { enabled: 'yes' } } } } }),
      m(TS, 'APIManager', 'b10', { wildcardDomain: 'a.b', system: { fileStorage: { amazonSimpleStorageService: { awsBucket: 'b', awsRegion: 'us-east-1' } } } }),
      m(TS, 'APIManager', 'b11', { wildcardDomain: 'a.b', system: { fileStorage: { persistentVolumeClaim: { resources: {} } } } }),
    ],
  },
  {
    file: 'capabilities.3scale.net_custompolicydefinitions.yaml', version: 'v1beta1', apiVersion: CPD, kind: 'CustomPolicyDefinition', plural: 'custompolicydefinitions', installedBy: '3scale-operator',
    valid: [
      m(CPD, 'CustomPolicyDefinition', 'v1', { name: 'remove-bearer', version: '0.1', schema: cpdSchema }),
      m(CPD, 'CustomPolicyDefinition', 'v2', { name: 'p', version: '1', schema: { ...cpdSchema, description: ['line one'] } }),
      m(CPD, 'CustomPolicyDefinition', 'v3', { name: 'p', version: '1', schema: cpdSchema, providerAccountRef: { name: 'admin-secret' } }),
      m(CPD, 'CustomPolicyDefinition', 'v4', { name: 'p', version: '1', schema: { ...cpdSchema, configuration: { anything: { goes: true } } } }),
    ],
    broken: [
      m(CPD, 'CustomPolicyDefinition', 'b1', { version: '0.1', schema: cpdSchema }),
      m(CPD, 'CustomPolicyDefinition', 'b2', { name: 'p', schema: cpdSchema }),
      m(CPD, 'CustomPolicyDefinition', 'b3', { name: 'p', version: '1' }),
      m(CPD, 'CustomPolicyDefinition', 'b4', { name: 'p', version: '1', schema: { ...cpdSchema, summary: undefined } }),
      m(CPD, 'CustomPolicyDefinition', 'b5', { name: 'p', version: 0.1, schema: cpdSchema }),
      m(CPD, 'CustomPolicyDefinition', 'b6', { name: 'p', version: '1', schema: { ...cpdSchema, description: 'one line' } }),
    ],
  },
  {
    file: 'operators.coreos.com_subscriptions.yaml', version: 'v1alpha1', apiVersion: OLM1, kind: 'Subscription', plural: 'subscriptions',
    valid: [
      m(OLM1, 'Subscription', 'v1', { name: 'rhsso-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace', channel: 'stable' }),
      m(OLM1, 'Subscription', 'v2', { name: '3scale-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace', installPlanApproval: 'Automatic' }),
      m(OLM1, 'Subscription', 'v3', { name: 'x', source: 's', sourceNamespace: 'n', startingCSV: 'x.v1' }),
      m(OLM1, 'Subscription', 'v4', { name: 'x', source: 's', sourceNamespace: 'n', config: { env: [{ name: 'A', value: 'b' }] } }),
    ],
    broken: [
      m(OLM1, 'Subscription', 'b1', undefined),
      m(OLM1, 'Subscription', 'b2', { source: 's', sourceNamespace: 'n' }),
      m(OLM1, 'Subscription', 'b3', { name: 'x', sourceNamespace: 'n' }),
      m(OLM1, 'Subscription', 'b4', { name: 'x', source: 's' }),
      m(OLM1, 'Subscription', 'b5', { name: 'x', source: 's', sourceNamespace: 'n', channel: 1 }),
      m(OLM1, 'Subscription', 'b6', { name: ['x'], source: 's', sourceNamespace: 'n' }),
    ],
  },
  {
    file: 'operators.coreos.com_operatorgroups.yaml', version: 'v1', apiVersion: OLM, kind: 'OperatorGroup', plural: 'operatorgroups',
    valid: [
      m(OLM, 'OperatorGroup', 'v1', { targetNamespaces: ['rh-sso'] }),
      m(OLM, 'OperatorGroup', 'v2', {}),
      m(OLM, 'OperatorGroup', 'v3', undefined),
      m(OLM, 'OperatorGroup', 'v4', { targetNamespaces: ['a', 'b'], upgradeStrategy: 'Default', selector: { matchLabels: { a: 'b' } } }),
    ],
    broken: [
      m(OLM, 'OperatorGroup', 'b1', { targetNamespaces: 'rh-sso' }),
      m(OLM, 'OperatorGroup', 'b2', { targetNamespaces: [1] }),
      m(OLM, 'OperatorGroup', 'b3', { upgradeStrategy: 'Fast' }),
      m(OLM, 'OperatorGroup', 'b4', { staticProvidedAPIs: 'true' }),
      m(OLM, 'OperatorGroup', 'b5', { selector: { matchLabels: { a: 2 } } }),
      m(OLM, 'OperatorGroup', 'b6', { serviceAccountName: false }),
    ],
  },
  {
    file: 'routes.crd.yaml', version: 'v1', apiVersion: ROUTE, kind: 'Route', plural: 'routes',
    valid: [
      m(ROUTE, 'Route', 'v1', { to: { kind: 'Service', name: 'keycloak' } }),
      m(ROUTE, 'Route', 'v2', { host: 'maas.apps.example.com', to: { kind: 'Service', name: 'apicast-production', weight: 100 }, port: { targetPort: 'gateway' }, tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' } }),
      m(ROUTE, 'Route', 'v3', { to: { kind: 'Service', name: 's' }, port: { targetPort: 8080 }, path: '/v1', wildcardPolicy: 'None' }),
      m(ROUTE, 'Route', 'v4', { to: { kind: 'Service', name: 's' }, tls: { termination: 'reencrypt' } }),
    ],
    broken: [
      m(ROUTE, 'Route', 'b1', undefined),
      m(ROUTE, 'Route', 'b2', { host: 'x.example.com' }),
      m(ROUTE, 'Route', 'b3', { to: { kind: 'Deployment', name: 's' } }),
      m(ROUTE, 'Route', 'b4', { to: { kind: 'Service', name: '' } }),
      m(ROUTE, 'Route', 'b5', { to: { kind: 'Service', name: 's' }, tls: { termination: 'none' } }),
      m(ROUTE, 'Route', 'b6', { to: { kind: 'Service', name: 's' }, host: 'bad_host!' }),
      m(ROUTE, 'Route', 'b7', { to: { kind: 'Service', name: 's' }, path: 'v1' }),
      m(ROUTE, 'Route', 'b8', { to: { kind: 'Service', name: 's' }, port: {} }),
    ],
  },
  {
    file: 'kubeflow.org_notebooks.yaml', version: 'v1', apiVersion: NB, kind: 'Notebook', plural: 'notebooks',
    valid: [
      m(NB, 'Notebook', 'v1', { template: { spec: { containers: [{ name: 'odh-tec', image: 'quay.io/rh-aiservices-bu/odh-tec:latest' }] } } }),
      m(NB, 'Notebook', 'v2', {}),
      m(NB, 'Notebook', 'v3', { template: { spec: { containers: [{ name: 'n', image: 'i', envFrom: [{ secretRef: { name: 'aws-connection-models' } }] }] } } }),
      m(NB, 'Notebook', 'v4', { template: { spec: { containers: [{ name: 'n', ports: [{ containerPort: 8888, name: 'notebook-port' }] }], serviceAccountName: 'sa' } } }),
    ],
    broken: [
      m(NB, 'Notebook', 'b1', { template: { spec: {} } }),
      m(NB, 'Notebook', 'b2', { template: { spec: { containers: [{ image: 'i' }] } } }),
      m(NB, 'Notebook', 'b3', { template: { spec: { containers: {} } } }),
      m(NB, 'Notebook', 'b4', { template: { spec: { containers: [{ name: 'n', args: 'x' }] } } }),
      m(NB, 'Notebook', 'b5', { template: { spec: { containers: [{ name: 'n', ports: [{ name: 'p' }] }] } } }),
      m(NB, 'Notebook', 'b6', { template: 'x' }),
    ],
  },
];

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Makes a CRD schema something ajv compiles, and compiles fast: drops `null`-valued keywords
 * (`anyOf: null`, which Kubernetes treats as absent), `x-kubernetes-*` and descriptions, and keeps
 * under `properties` only the keys some corpus manifest has at that place (validation never looks
 * at the schema of an absent property, unless it has a `default`; `required` is kept as it is).
 */
function prepare(node: unknown, instances: unknown[], prune = true): unknown {
  if (Array.isArray(node)) return node.map((n) => prepare(n, instances, prune));
  if (!isObj(node)) return node;
  const out: Record<string, unknown> = {};
  const objects = instances.filter(isObj);
  for (const [k, v] of Object.entries(node)) {
    if (v === null || k.startsWith('x-kubernetes-') || k === 'description') continue;
    if (k === 'properties' && isObj(v)) {
      const present = new Set(objects.flatMap((o) => Object.keys(o)));
      const kept = (p: string, s: unknown) => !prune || present.has(p) || (isObj(s) && s.default !== undefined);
      out.properties = Object.fromEntries(
        Object.entries(v).filter(([p, s]) => kept(p, s)).map(([p, s]) => [p, prepare(s, objects.map((o) => o[p]).filter((x) => x !== undefined), prune)]),
      );
    } else if (k === 'items') {
      out.items = prepare(v, instances.filter(Array.isArray).flat(), prune);
    } else if (k === 'additionalProperties' && isObj(v)) {
      out.additionalProperties = prepare(v, objects.flatMap((o) => Object.values(o)), prune);
    } else if (k === 'enum' || k === 'required' || k === 'default') {
      out[k] = v;
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf' || k === 'not') {
      // Not pruned: under `not`, an emptied subschema would turn "always true" into "always false".
      out[k] = prepare(v, instances, false);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function realValidator(c: KindCorpus): ValidateFunction {
  const crd = parse(readFileSync(path.join(ref, c.file), 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: object } }[] } };
  const version = crd.spec.versions.find((v) => v.name === c.version);
  if (!version) throw new Error(`${c.file}: no version ${c.version}`);
  // strict: false ignores x-kubernetes-* keywords and the descriptions; formats (int32, int64, date-time) are not checked.
  const instances = JSON.parse(JSON.stringify([...c.valid, ...c.broken])) as unknown[];
  const schema = prepare(version.schema.openAPIV3Schema, instances) as object;
  return new Ajv({ strict: false, validateFormats: false, allErrors: true, useDefaults: true }).compile(schema);
}

let h: Harness;
beforeAll(async () => {
  if (!has) return;
  h = await startHarness();
  h.kinds.markInstalled('rhsso-operator');
  h.kinds.markInstalled('3scale-operator');
});
afterAll(async () => {
  if (has) await h.close();
});

describe.skipIf(!has)('custom kinds accept exactly what their real CRD schema accepts', () => {
  for (const c of CORPUS) {
    it(`${c.kind}`, async () => {
      expect(c.valid.length).toBeGreaterThanOrEqual(4);
      expect(c.broken.length).toBeGreaterThanOrEqual(6);
      const validate = realValidator(c);
      const prefix = `/apis/${c.apiVersion}/namespaces/llm-hosting/${c.plural}`;
      for (const [label, manifests] of [['valid', c.valid], ['broken', c.broken]] as const) {
        for (const manifest of manifests) {
          const name = (manifest.metadata as { name: string }).name;
          const body = JSON.parse(JSON.stringify(manifest)) as Manifest;
          // Two passes: the first fills defaults (the API server defaults before it validates).
          const defaulted = structuredClone(body);
          validate(defaulted);
          const realAccepts = validate(defaulted);
          expect({ name, realAccepts }, `corpus label of ${c.kind} ${name}`).toEqual({ name, realAccepts: label === 'valid' });
          const r = await h.call('POST', prefix, body);
          expect({ name, status: r.status }, `${c.kind} ${name}: ${r.text}`).toEqual({ name, status: realAccepts ? 201 : 422 });
          if (!realAccepts) expect(r.body.details.causes.length).toBeGreaterThan(0);
        }
      }
    });
  }
});
