/**
 * The statuses and objects the simulated operators write validate against the real CRD schemas
 * (read at run time from ../shared/reference/crds; skipped with a notice when absent).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { install, makeEnv, statusOf } from './env.js';
import type { TestEnv } from './env.js';
import { b64 } from '../../../src/sim/operators/objects.js';
import { crdSchema, hasReference } from '../../support/reference.js';

const has = hasReference();

let env: TestEnv;
afterEach(() => env?.stop());

describe('operator output against the real CRD schemas', () => {
  it.skipIf(!has)('Subscription, InstallPlan, CSV, OperatorGroup, Route, OBC, InferenceService, Keycloak, KeycloakRealm, APIManager, Notebook validate', async () => {
    env = makeEnv({ flags: {} });
    await install(env, 'rhsso-operator', 'rh-sso');
    await install(env, '3scale-operator', '3scale', 'threescale-2.15');
    env.o.ensure('Keycloak', { metadata: { name: 'rh-sso', namespace: 'rh-sso', labels: { app: 'rh-sso' } }, spec: { externalAccess: { enabled: true }, instances: 1 } });
    env.o.ensure('KeycloakRealm', { metadata: { name: 'maas', namespace: 'rh-sso' }, spec: { instanceSelector: { matchLabels: { app: 'rh-sso' } }, realm: { id: 'maas', realm: 'maas', enabled: true } } });
    env.o.ensure('APIManager', { metadata: { name: 'apimanager', namespace: '3scale' }, spec: { wildcardDomain: 'apps.sim.maas.example', tenantName: 'maas', system: { fileStorage: { persistentVolumeClaim: { storageClassName: 'ocs-storagecluster-cephfs' } } } } });
    env.o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
    env.o.ensure('ObjectBucketClaim', { metadata: { name: 'models', namespace: 'llm-hosting' }, spec: { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' } });
    env.o.ensure('Secret', { metadata: { name: 'conn', namespace: 'llm-hosting', labels: { 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' } }, data: { AWS_S3_BUCKET: b64('b') } });
    env.o.ensure('ServingRuntime', { metadata: { name: 'vllm', namespace: 'llm-hosting' }, spec: { supportedModelFormats: [{ name: 'vLLM' }], containers: [{ name: 'kserve-container', image: 'quay.io/modh/vllm:x' }] } });
    env.o.ensure('Notebook', { metadata: { name: 'odh-tec', namespace: 'llm-hosting' }, spec: { template: { spec: { containers: [{ name: 'odh-tec', image: 'quay.io/rh-aiservices-bu/odh-tec:latest' }] } } } });
    env.o.ensure('InferenceService', { metadata: { name: 'm', namespace: 'llm-hosting' }, spec: { predictor: { model: { modelFormat: { name: 'vLLM' }, runtime: 'vllm', storage: { key: 'conn', path: 'p/' } } } } });
    await env.waitFor('APIManager', '3scale', 'apimanager', (a) => ((statusOf(a)['conditions'] ?? []) as { type: string; status: string }[]).some((c) => c.type === 'Available' && c.status === 'True'));
    await env.waitFor('KeycloakRealm', 'rh-sso', 'maas', (r) => statusOf(r)['ready'] === true);
    await env.waitFor('InferenceService', 'llm-hosting', 'm', (i) => statusOf(i)['url'] !== undefined);
    await env.clock.settled();

    const ajv = new Ajv({ strict: false, allErrors: true });
    const cases: [string, string, string, boolean][] = [
      ['Subscription', 'operators.coreos.com_subscriptions.yaml', 'v1alpha1', true],
      ['InstallPlan', 'operators.coreos.com_installplans.yaml', 'v1alpha1', false],
      ['ClusterServiceVersion', 'operators.coreos.com_clusterserviceversions.yaml', 'v1alpha1', true],
      ['OperatorGroup', 'operators.coreos.com_operatorgroups.yaml', 'v1', false],
      ['Route', 'routes.crd.yaml', 'v1', false],
      ['ObjectBucketClaim', 'objectbucket.io_objectbucketclaims_crd.yaml', 'v1alpha1', false],
      ['InferenceService', 'serving.kserve.io_inferenceservices.yaml', 'v1beta1', true],
      ['Keycloak', 'keycloak.org_keycloaks_crd.yaml', 'v1alpha1', false],
      ['KeycloakRealm', 'keycloak.org_keycloakrealms_crd.yaml', 'v1alpha1', true],
      ['APIManager', 'apps.3scale.net_apimanagers.yaml', 'v1alpha1', true],
      ['Notebook', 'kubeflow.org_notebooks.yaml', 'v1', true],
    ];
    for (const [kind, file, version, statusOnly] of cases) {
      const validate = ajv.compile(crdSchema(file, version, { statusOnly }) as object);
      const objects = env.o.list(kind);
      expect(objects.length, kind).toBeGreaterThan(0);
      for (const obj of objects) {
        const ok = validate(obj) as boolean;
        expect(ok ? [] : (validate.errors ?? []).map((e) => `${kind} ${obj.metadata.name} ${e.instancePath} ${e.message ?? ''}`), kind).toEqual([]);
      }
    }
  });
});
