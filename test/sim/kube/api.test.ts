import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { obc, secret, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const SECRETS = '/api/v1/namespaces/llm-hosting/secrets';
const OBCS = '/apis/objectbucket.io/v1alpha1/namespaces/llm-hosting/objectbucketclaims';

describe('authentication and RBAC', () => {
  it('answers 401 Unauthorized without, with a wrong, or with an expired token', async () => {
    for (const token of [null, 'wrong']) {
      const r = await h.call('GET', '/api/v1/namespaces', undefined, { token });
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Unauthorized', code: 401 });
    }
    expect((await h.call('GET', '/version', undefined, { token: null })).status).toBe(200);
    h.access.tokenExpired = true;
    expect((await h.call('GET', '/api/v1/namespaces')).status).toBe(401);
    expect((await h.call('GET', '/version')).status).toBe(401);
  });

  it('denies with 403 and the real message, and SelfSubjectAccessReview agrees', async () => {
    h.access.deny({ verb: 'create', group: '', resource: 'secrets', namespace: 'llm-hosting' });
    const r = await h.call('POST', SECRETS, secret('x'));
    expect(r.status).toBe(403);
    expect(r.body.reason).toBe('Forbidden');
    expect(r.body.message).toBe('secrets is forbidden: User "developer" cannot create resource "secrets" in API group "" in the namespace "llm-hosting"');
    expect((await h.call('POST', '/api/v1/namespaces/default/secrets', secret('x'))).status).toBe(201);
    expect((await h.call('GET', SECRETS)).status).toBe(200);
    const review = (verb: string, namespace: string) =>
      h.call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: { verb, group: '', resource: 'secrets', namespace } },
      });
    const denied = await review('create', 'llm-hosting');
    expect(denied.status).toBe(201);
    expect(denied.body.status.allowed).toBe(false);
    expect((await review('create', 'default')).body.status.allowed).toBe(true);
    expect((await review('list', 'llm-hosting')).body.status.allowed).toBe(true);
  });

  it('answers users/~ with the current user and its groups', async () => {
    const r = await h.call('GET', '/apis/user.openshift.io/v1/users/~');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'User', metadata: { name: 'developer' } });
    expect(r.body.groups).toContain('system:authenticated');
  });
});

describe('discovery', () => {
  it('lists groups, resources with short names and subresources, and hides kinds not yet installed', async () => {
    const core = await h.call('GET', '/api/v1');
    const names = core.body.resources.map((r: { name: string }) => r.name);
    expect(names).toEqual(expect.arrayContaining(['namespaces', 'secrets', 'pods', 'pods/log', 'pods/status', 'services/proxy']));
    expect(core.body.resources.find((r: { name: string }) => r.name === 'configmaps')).toMatchObject({ kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], singularName: 'configmap' });
    const isvc = await h.call('GET', '/apis/serving.kserve.io/v1beta1');
    expect(isvc.body.resources.map((r: { name: string }) => r.name)).toEqual(['inferenceservices', 'inferenceservices/status']);
    const groups = await h.call('GET', '/apis');
    const ops = groups.body.groups.find((g: { name: string }) => g.name === 'operators.coreos.com');
    expect(ops.preferredVersion.version).toBe('v1');
    expect(ops.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v1alpha1']);
    expect(groups.body.groups.map((g: { name: string }) => g.name)).not.toContain('keycloak.org');
    const absent = await h.call('GET', '/apis/keycloak.org/v1alpha1/namespaces/llm-hosting/keycloaks');
    expect(absent.status).toBe(404);
    expect(absent.body.message).toBe('the server could not find the requested resource');
    h.kinds.markInstalled('rhsso-operator');
    expect((await h.call('GET', '/apis/keycloak.org/v1alpha1/namespaces/llm-hosting/keycloaks')).status).toBe(200);
    expect((await h.call('GET', '/apis')).body.groups.map((g: { name: string }) => g.name)).toContain('keycloak.org');
    expect((await h.call('GET', '/version')).body.gitVersion).toMatch(/^v1\.\d+\.\d+$/);
  });
});

describe('verbs and errors', () => {
  it('creates, reads, lists, replaces and deletes with the real status codes', async () => {
    const created = await h.call('POST', SECRETS, { ...secret('s'), stringData: { token: 'abc' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ k: 'dg==', token: Buffer.from('abc').toString('base64') });
    expect(created.body.stringData).toBeUndefined();
    expect(created.body.type).toBe('Opaque');
    const again = await h.call('POST', SECRETS, secret('s'));
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ reason: 'AlreadyExists', message: 'secrets "s" already exists', details: { name: 's', kind: 'secrets' } });
    const list = await h.call('GET', SECRETS);
    expect(list.body).toMatchObject({ kind: 'SecretList', apiVersion: 'v1' });
    expect(list.body.metadata.resourceVersion).toMatch(/^\d+$/);
    const replaced = await h.call('PUT', `${SECRETS}/s`, { ...created.body, data: { k: 'eA==' } });
    expect(replaced.status).toBe(200);
    const stale = await h.call('PUT', `${SECRETS}/s`, { ...created.body, data: { k: 'eQ==' } });
    expect(stale.status).toBe(409);
    expect(stale.body.reason).toBe('Conflict');
    expect(stale.body.message).toContain('the object has been modified');
    const deleted = await h.call('DELETE', `${SECRETS}/s`);
    expect(deleted.status).toBe(200);
    const gone = await h.call('GET', `${SECRETS}/s`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ reason: 'NotFound', message: 'secrets "s" not found' });
    expect((await h.call('DELETE', `${SECRETS}/s`)).status).toBe(404);
  });

  it('refuses objects in a missing namespace, bad names and mismatched bodies', async () => {
    const noNs = await h.call('POST', '/api/v1/namespaces/nope/secrets', secret('s'));
    expect(noNs.status).toBe(404);
    expect(noNs.body.message).toBe('namespaces "nope" not found');
    const badName = await h.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Foo' } });
    expect(badName.status).toBe(422);
    expect(badName.body.reason).toBe('Invalid');
    expect(badName.body.message).toMatch(/^Namespace "Foo" is invalid: metadata.name: Invalid value: "Foo": a lowercase RFC 1123 label/);
    expect(badName.body.details.causes[0].field).toBe('metadata.name');
    const noName = await h.call('POST', SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: {} });
    expect(noName.status).toBe(422);
    expect(noName.body.details.causes[0]).toMatchObject({ field: 'metadata.name', reason: 'FieldValueRequired' });
    const wrongKind = await h.call('POST', SECRETS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    expect(wrongKind.status).toBe(400);
    expect((await h.call('POST', SECRETS, '{not json')).status).toBe(400);
    expect((await h.call('GET', '/api/v1/namespaces/llm-hosting/widgets')).status).toBe(404);
    expect((await h.call('POST', '/apis/packages.operators.coreos.com/v1/namespaces/llm-hosting/packagemanifests', { metadata: { name: 'p' } })).status).toBe(405);
  });

  it('names an object from metadata.generateName alone, as a real API server does; a bad prefix is still refused', async () => {
    const made = await h.call('POST', SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { generateName: 'hf-token-' }, stringData: { HF_TOKEN: 'x' } });
    expect(made.status).toBe(201);
    expect(made.body.metadata.name).toMatch(/^hf-token-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(made.body.metadata.generateName).toBe('hf-token-');
    expect((await h.call('GET', `${SECRETS}/${String(made.body.metadata.name)}`)).status).toBe(200);
    const other = await h.call('POST', SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { generateName: 'hf-token-' } });
    expect(other.body.metadata.name).not.toBe(made.body.metadata.name);
    const bad = await h.call('POST', SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { generateName: 'Bad_' } });
    expect(bad.status).toBe(422);
    expect(bad.body.reason).toBe('Invalid');
  });

  it('validates custom kinds against their schema with the field named', async () => {
    const r = await h.call('POST', OBCS, obc('models', { generateBucketName: 'models' }));
    expect(r.status).toBe(422);
    expect(r.body.message).toBe('ObjectBucketClaim.objectbucket.io "models" is invalid: spec.storageClassName: Required value');
    expect(r.body.details.causes).toEqual([{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.storageClassName' }]);
    const isvc = await h.call('POST', '/apis/serving.kserve.io/v1beta1/namespaces/llm-hosting/inferenceservices', {
      apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'm' },
      spec: { predictor: { scaleMetric: 'gpu', minReplicas: 'one' } },
    });
    expect(isvc.status).toBe(422);
    const fields = isvc.body.details.causes.map((c: { field: string }) => c.field).sort();
    expect(fields).toEqual(['spec.predictor.minReplicas', 'spec.predictor.scaleMetric']);
    expect(isvc.body.message).toContain('spec.predictor.scaleMetric: Unsupported value: "gpu": supported values: "cpu", "memory", "concurrency", "rps"');
    expect((await h.call('POST', OBCS, obc('models'))).status).toBe(201);
  });

  it('keeps status on main-resource writes and changes only status through /status', async () => {
    const created = (await h.call('POST', OBCS, { ...obc('models'), status: { phase: 'Bound' } })).body;
    expect(created.status).toBeUndefined();
    const withStatus = await h.call('PUT', `${OBCS}/models/status`, { ...created, spec: { storageClassName: 'other' }, status: { phase: 'Bound' } });
    expect(withStatus.status).toBe(200);
    expect(withStatus.body.status).toEqual({ phase: 'Bound' });
    expect(withStatus.body.spec.storageClassName).toBe('ocs-storagecluster-ceph-rgw');
    expect(withStatus.body.metadata.generation).toBe(1);
    const main = await h.call('PATCH', `${OBCS}/models`, { spec: { bucketName: 'b' }, status: { phase: 'Failed' } }, { contentType: 'application/merge-patch+json' });
    expect(main.body.status).toEqual({ phase: 'Bound' });
    expect(main.body.spec.bucketName).toBe('b');
    expect(main.body.metadata.generation).toBe(2);
    const statusPatch = await h.call('PATCH', `${OBCS}/models/status`, { status: { phase: 'Released' } }, { contentType: 'application/merge-patch+json' });
    expect(statusPatch.body.status.phase).toBe('Released');
    expect(statusPatch.body.metadata.generation).toBe(2);
  });

  it('patches with merge, strategic merge (by name) and JSON patch', async () => {
    await h.call('POST', '/apis/apps/v1/namespaces/llm-hosting/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', labels: { a: '1', b: '2' } },
      spec: { template: { spec: { containers: [{ name: 'one', image: 'i1', args: ['x'] }, { name: 'two', image: 'i2' }] } } },
    });
    const path = '/apis/apps/v1/namespaces/llm-hosting/deployments/d';
    const merged = await h.call('PATCH', path, { metadata: { labels: { b: null, c: '3' } } }, { contentType: 'application/merge-patch+json' });
    expect(merged.body.metadata.labels).toEqual({ a: '1', c: '3' });
    const smp = await h.call('PATCH', path, { spec: { template: { spec: { containers: [{ name: 'two', image: 'i2b' }] } } } }, { contentType: 'application/strategic-merge-patch+json' });
    expect(smp.body.spec.template.spec.containers).toEqual([{ name: 'one', image: 'i1', args: ['x'] }, { name: 'two', image: 'i2b' }]);
    const jp = await h.call('PATCH', path, [{ op: 'replace', path: '/metadata/labels/a', value: '9' }, { op: 'remove', path: '/metadata/labels/c' }], { contentType: 'application/json-patch+json' });
    expect(jp.body.metadata.labels).toEqual({ a: '9' });
    const stale = await h.call('PATCH', path, { metadata: { resourceVersion: '1', labels: { z: '1' } } }, { contentType: 'application/merge-patch+json' });
    expect(stale.status).toBe(409);
    expect((await h.call('PATCH', path, { a: 1 }, { contentType: 'text/plain' })).status).toBe(415);
    expect((await h.call('PATCH', `${path}x`, { a: 1 }, { contentType: 'application/merge-patch+json' })).status).toBe(404);
  });

  it('server-side apply needs a fieldManager, creates when absent and merges when present', async () => {
    const yaml = 'apiVersion: objectbucket.io/v1alpha1\nkind: ObjectBucketClaim\nmetadata:\n  name: models\nspec:\n  storageClassName: sc1\n  generateBucketName: models\n';
    const noManager = await h.call('PATCH', `${OBCS}/models`, yaml, { contentType: 'application/apply-patch+yaml' });
    expect(noManager.status).toBe(422);
    expect(noManager.body.message).toBe('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const created = await h.call('PATCH', `${OBCS}/models?fieldManager=maas-wizard`, yaml, { contentType: 'application/apply-patch+yaml' });
    expect(created.status).toBe(201);
    const updated = await h.call('PATCH', `${OBCS}/models?fieldManager=maas-wizard`, yaml.replace('sc1', 'sc2'), { contentType: 'application/apply-patch+yaml' });
    expect(updated.status).toBe(200);
    expect(updated.body.spec).toEqual({ storageClassName: 'sc2', generateBucketName: 'models' });
    expect(updated.body.metadata.uid).toBe(created.body.metadata.uid);
    const invalidApply = await h.call('PATCH', `${OBCS}/other?fieldManager=m`, '{"apiVersion":"objectbucket.io/v1alpha1","kind":"ObjectBucketClaim","metadata":{"name":"other"},"spec":{}}', { contentType: 'application/apply-patch+yaml' });
    expect(invalidApply.status).toBe(422);
  });

  it('deleting a Namespace takes its objects; Projects are a view of Namespaces', async () => {
    const pr = await h.call('POST', '/apis/project.openshift.io/v1/projectrequests', {
      apiVersion: 'project.openshift.io/v1', kind: 'ProjectRequest', metadata: { name: 'team' }, displayName: 'Team',
    });
    expect(pr.status).toBe(201);
    expect(pr.body).toMatchObject({ kind: 'Project', apiVersion: 'project.openshift.io/v1', status: { phase: 'Active' } });
    expect(pr.body.metadata.annotations).toMatchObject({ 'openshift.io/requester': 'developer', 'openshift.io/display-name': 'Team' });
    const dup = await h.call('POST', '/apis/project.openshift.io/v1/projectrequests', { apiVersion: 'project.openshift.io/v1', kind: 'ProjectRequest', metadata: { name: 'team' } });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toBe('project.project.openshift.io "team" already exists');
    expect((await h.call('GET', '/api/v1/namespaces/team')).status).toBe(200);
    expect((await h.call('GET', '/apis/project.openshift.io/v1/projects/team')).body.kind).toBe('Project');
    await h.call('POST', '/api/v1/namespaces/team/secrets', secret('inside'));
    const del = await h.call('DELETE', '/api/v1/namespaces/team');
    expect(del.status).toBe(200);
    expect(del.body.status.phase).toBe('Terminating');
    expect((await h.call('GET', '/api/v1/namespaces/team/secrets/inside')).status).toBe(404);
    expect((await h.call('GET', '/apis/project.openshift.io/v1/projects/team')).status).toBe(404);
  });

  it('dry runs create, patch and delete without storing anything', async () => {
    const before = h.store.currentVersion();
    const created = await h.call('POST', `${OBCS}?dryRun=All`, obc('models'));
    expect(created.status).toBe(201);
    expect(created.body.metadata.name).toBe('models');
    expect((await h.call('GET', `${OBCS}/models`)).status).toBe(404);
    expect((await h.call('POST', `${OBCS}?dryRun=All`, obc('bad', {}))).status).toBe(422);
    expect(h.store.currentVersion()).toBe(before);
    await h.call('POST', OBCS, obc('models'));
    const patched = await h.call('PATCH', `${OBCS}/models?dryRun=All`, { spec: { bucketName: 'dry' } }, { contentType: 'application/merge-patch+json' });
    expect(patched.body.spec.bucketName).toBe('dry');
    expect((await h.call('GET', `${OBCS}/models`)).body.spec.bucketName).toBeUndefined();
    expect((await h.call('DELETE', `${OBCS}/models?dryRun=All`)).status).toBe(200);
    expect((await h.call('GET', `${OBCS}/models`)).status).toBe(200);
    expect((await h.call('POST', `${OBCS}?dryRun=Some`, obc('x'))).status).toBe(400);
  });

  it('defaults Services as the real server does and keeps the clusterIP on replace', async () => {
    const svc = await h.call('POST', '/api/v1/namespaces/llm-hosting/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'granite-predictor' }, spec: { ports: [{ port: 80 }] } });
    expect(svc.body.spec).toMatchObject({ type: 'ClusterIP', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] });
    expect(svc.body.spec.clusterIP).toMatch(/^172\.30\.\d+\.\d+$/);
    const replaced = await h.call('PUT', '/api/v1/namespaces/llm-hosting/services/granite-predictor', { ...svc.body, spec: { ports: [{ port: 8080 }] } });
    expect(replaced.body.spec.clusterIP).toBe(svc.body.spec.clusterIP);
    const badName = await h.call('POST', '/api/v1/namespaces/llm-hosting/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: '1svc' } });
    expect(badName.status).toBe(422);
    expect(badName.body.message).toContain('a DNS-1035 label');
  });

  it('refuses label values the real server refuses', async () => {
    const r = await h.call('POST', SECRETS, secret('s', undefined, { app: 'not valid!' }));
    expect(r.status).toBe(422);
    expect(r.body.details.causes[0].field).toBe('metadata.labels');
  });

  it('lists across namespaces and filters with selectors over HTTP', async () => {
    await h.call('POST', SECRETS, secret('a', undefined, { app: 'x', tier: 'web' }));
    await h.call('POST', SECRETS, secret('b', undefined, { app: 'x', tier: 'db' }));
    await h.call('POST', '/api/v1/namespaces/default/secrets', secret('c', undefined, { app: 'y' }));
    const names = async (q: string) => (await h.call('GET', `/api/v1/secrets?${q}`)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    expect(await names(`labelSelector=${encodeURIComponent('app=x,tier notin (db)')}`)).toEqual(['a']);
    expect(await names(`labelSelector=${encodeURIComponent('!tier')}`)).toEqual(['c']);
    expect(await names('fieldSelector=metadata.namespace%3Ddefault')).toEqual(['c']);
    expect((await h.call('GET', '/api/v1/secrets?fieldSelector=spec.x%3D1')).status).toBe(400);
  });
});
