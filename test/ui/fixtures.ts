/** Shared test data for the screen tests: a realistic step list, header and events. */
import { createElement } from 'react';
import type { Change, EngineEvent, Explanation, InputField } from '../../src/engine/types.js';
import { App } from '../../src/ui/App.js';
import type { AppProps } from '../../src/ui/App.js';
import { UiStore } from '../../src/ui/store.js';
import type { ResumeInfo } from '../../src/ui/store.js';
import { mount } from './helpers.js';

/** Fixed "now" for frozen screens: 5 minutes after T0. */
export const T0 = 1_800_000_000_000;
export const NOW = T0 + 300_000;

export const HEADER = { cluster: 'https://api.demo.example.com:6443', user: 'developer', profile: 'demo' };

const explain = (what: string, why: string, commands: string[] = []): Explanation => ({ what, why, commands });

export const STEPS = [
  { id: 'preflight', stage: 'preflight', title: 'Preflight checks', needs: [], explain: explain('Checks the connection, permissions and operators.', 'Nothing is written before every check passes.') },
  { id: 'project', stage: 'project', title: 'Project llm-hosting', needs: ['preflight'], explain: explain('Creates the project the models are served from.', 'KServe and the dashboard need the labels.', ['oc new-project llm-hosting']) },
  { id: 'storage', stage: 'storage', title: 'Bucket for the models', needs: ['project'], explain: explain('Claims an S3 bucket with an ObjectBucketClaim.', 'The models are copied there and served from there.', ['oc apply -f obc.yaml']) },
  { id: 'data-connection', stage: 'data-connection', title: 'Data connection', needs: ['storage'] },
  { id: 'import', stage: 'import', title: 'Import models', needs: ['data-connection'], explain: explain('Copies the model files from Hugging Face to the bucket.', 'Serving reads the models from the bucket.') },
  { id: 'serving.mistral', stage: 'serving', title: 'Serve Mistral-7B-Instruct', needs: ['import'], explain: explain('Creates the ServingRuntime and InferenceService.', 'vLLM serves an OpenAI-compatible API.') },
  { id: 'sso', stage: 'sso', title: 'Red Hat SSO', needs: ['preflight'] },
  { id: '3scale', stage: '3scale', title: '3scale API Management', needs: ['preflight'] },
  { id: 'policies', stage: 'policies', title: 'Policies', needs: ['3scale'] },
  { id: 'portal', stage: 'portal', title: 'Developer portal', needs: ['sso', '3scale'] },
  { id: 'verify', stage: 'verify', title: 'End-to-end check', needs: ['portal'] },
];

/** Events of a run in progress: preflight and project done, storage waiting, import copying, sso installing. */
export function runningEvents(): EngineEvent[] {
  return [
    { type: 'run-started', at: T0, steps: STEPS.map((s) => s.id) },
    { type: 'state', at: T0, step: 'preflight', state: 'planning' },
    { type: 'state', at: T0 + 4_000, step: 'preflight', state: 'done' },
    { type: 'state', at: T0 + 4_000, step: 'project', state: 'applying' },
    { type: 'outputs', at: T0 + 6_000, step: 'project', outputs: { namespace: 'llm-hosting' } },
    { type: 'state', at: T0 + 6_000, step: 'project', state: 'done' },
    { type: 'state', at: T0 + 6_000, step: 'sso', state: 'applying' },
    { type: 'wait', at: T0 + 7_500, step: 'sso', what: 'ClusterServiceVersion rhsso-operator', currently: 'Installing' },
    { type: 'state', at: T0 + 7_000, step: 'storage', state: 'applying' },
    { type: 'wait', at: T0 + 8_000, step: 'storage', what: 'ObjectBucketClaim models', currently: 'Pending' },
  ];
}

export const STORAGE_FIELDS: InputField[] = [
  { key: 'claimName', label: 'Claim name', kind: 'text', help: 'Name of the ObjectBucketClaim, its ConfigMap and Secret.' },
  {
    key: 'storageClass',
    label: 'Bucket class',
    kind: 'select',
    help: 'StorageClasses with a bucket provisioner found by preflight.',
    choices: () => [
      { value: 'ocs-storagecluster-ceph-rgw', label: 'ocs-storagecluster-ceph-rgw', hint: 'Ceph RGW' },
      { value: 'openshift-storage.noobaa.io', label: 'openshift-storage.noobaa.io', hint: 'NooBaa' },
    ],
  },
  { key: 'timeoutSeconds', label: 'Wait for Bound (s)', kind: 'number' },
  { key: 'existingS3', label: 'Use existing S3 instead', kind: 'confirm' },
];

export const STORAGE_DEFAULTS = { claimName: 'models', storageClass: 'ocs-storagecluster-ceph-rgw', timeoutSeconds: 300, existingS3: false };

/** The storage plan: an ObjectBucketClaim manifest and a 3scale API call. */
export const PLAN: Change[] = [
  {
    action: 'create',
    target: 'ObjectBucketClaim llm-hosting/models',
    manifest: {
      apiVersion: 'objectbucket.io/v1alpha1',
      kind: 'ObjectBucketClaim',
      metadata: { name: 'models', namespace: 'llm-hosting' },
      spec: { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' },
    },
  },
  {
    action: 'create',
    target: 'backend mistral-7b-instruct',
    call: {
      service: '3scale',
      method: 'POST',
      path: '/admin/api/backend_apis.json',
      body: { name: 'mistral-7b-instruct', private_endpoint: 'http://mistral-predictor.llm-hosting.svc.cluster.local' },
    },
  },
];

/** Mounts the App on a store, frozen at NOW, 80×24 unless told. */
export function mountApp(options: { resume?: ResumeInfo; props?: Partial<AppProps> } = {}) {
  const store = new UiStore(STEPS, options.resume);
  const inst = mount(createElement(App, { store, header: HEADER, frozen: true, now: NOW, columns: 80, rows: 24, ...options.props }));
  return { store, inst, host: store.host() };
}
