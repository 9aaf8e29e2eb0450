/**
 * kubectl works against the simulated API server. kubectl sends bearer tokens only over TLS
 * (kubernetes/kubectl#744), so the server listens with a throw-away self-signed certificate and
 * the kubeconfig sets `insecure-skip-tls-verify`. Skips when kubectl or openssl is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { selfSignedCertificate } from '../../../src/sim/kube/tls.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

const run = promisify(execFile);
const hasTool = (cmd: string, arg: string) => spawnSync(cmd, [arg], { stdio: 'ignore' }).status === 0;
const available = hasTool('kubectl', 'version') || hasTool('kubectl', '--help');
const hasOpenssl = hasTool('openssl', 'version');
if (!available) console.warn('skipped: kubectl not on PATH');
if (!hasOpenssl) console.warn('skipped: openssl not on PATH (needed for the HTTPS listener kubectl requires)');

let h: Harness;
let dir: string;
let env: NodeJS.ProcessEnv;
/** Called with each request URL the server gets (to know when kubectl has started watching). */
let onRequest: (url: string) => void = () => undefined;

beforeAll(async () => {
  if (!available || !hasOpenssl) return;
  const tls = await selfSignedCertificate(1);
  h = await startHarness({
    tls,
    wrap: (handler) => async (req, res) => {
      onRequest(req.url ?? '');
      await handler(req, res);
    },
  });
  dir = await mkdtemp(path.join(tmpdir(), 'kubectl-'));
  const kubeconfig = path.join(dir, 'config');
  await writeFile(kubeconfig, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: sim', '  cluster:', `    server: ${h.url}`, '    insecure-skip-tls-verify: true',
    'users:', '- name: developer', '  user:', `    token: ${h.token}`,
    'contexts:', '- name: sim', '  context:', '    cluster: sim', '    user: developer', '    namespace: llm-hosting',
    'current-context: sim', '',
  ].join('\n'), { mode: 0o600 });
  env = { ...process.env, KUBECONFIG: kubeconfig, KUBECACHEDIR: path.join(dir, 'cache'), HOME: dir };
});
afterAll(async () => {
  if (!available || !hasOpenssl) return;
  await h.close();
  await rm(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', args, { env, timeout: 30_000 });
  return stdout;
}

async function kubectlFails(...args: string[]): Promise<string> {
  try {
    await run('kubectl', args, { env, timeout: 30_000 });
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
  throw new Error(`kubectl ${args.join(' ')} succeeded`);
}

const OBC = `apiVersion: objectbucket.io/v1alpha1
kind: ObjectBucketClaim
metadata:
  name: models
spec:
  generateBucketName: models
  storageClassName: STORAGE_CLASS
`;

describe.skipIf(!available || !hasOpenssl)('kubectl', () => {
  it('gets namespaces and every listable kind by plural, singular and short name', async () => {
    expect(await kubectl('get', 'ns')).toMatch(/default\s+\d+s[\s\S]*llm-hosting/);
    const kinds = h.kinds.served().filter((k) => k.verbs.includes('list') && k.kind !== 'ProjectRequest');
    for (const names of [kinds.map((k) => k.plural), kinds.map((k) => k.singular), kinds.flatMap((k) => k.shortNames)]) {
      const out = await kubectl('get', names.join(','), '-A', '-o', 'name');
      expect(out).toContain('namespace/llm-hosting');
    }
    expect(await kubectlFails('get', 'keycloaks')).toContain('the server doesn\'t have a resource type "keycloaks"');
  });

  it('applies client-side and server-side, patches, reports invalid manifests and deletes', async () => {
    const obcKind = h.kinds.byKind('ObjectBucketClaim');
    const spec = () => h.store.get(obcKind, 'llm-hosting', 'models')?.spec as Record<string, unknown> | undefined;
    const file = path.join(dir, 'obc.yaml');
    await writeFile(file, OBC.replace('STORAGE_CLASS', 'sc-one'));
    expect(await kubectl('apply', '-f', file)).toContain('objectbucketclaim.objectbucket.io/models created');
    await writeFile(file, OBC.replace('STORAGE_CLASS', 'sc-two'));
    expect(await kubectl('apply', '-f', file)).toContain('configured');
    expect(spec()?.storageClassName).toBe('sc-two');
    await writeFile(file, OBC.replace('STORAGE_CLASS', 'sc-three'));
    expect(await kubectl('apply', '--server-side', '-f', file)).toContain('serverside-applied');
    expect(spec()?.storageClassName).toBe('sc-three');
    expect(await kubectl('patch', 'obc', 'models', '--type', 'merge', '-p', '{"spec":{"bucketName":"b1"}}')).toContain('patched');
    expect(spec()?.bucketName).toBe('b1');
    expect(h.store.get(obcKind, 'llm-hosting', 'models')?.metadata.generation).toBe(4);
    // A built-in kind goes through a strategic merge patch: a key dropped from the file is removed.
    const cm = path.join(dir, 'cm.yaml');
    await writeFile(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n');
    await kubectl('apply', '-f', cm);
    await writeFile(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  b: "2"\n');
    await kubectl('apply', '-f', cm);
    expect(h.store.get(h.kinds.byKind('ConfigMap'), 'llm-hosting', 'cfg')?.data).toEqual({ b: '2' });
    await writeFile(file, 'apiVersion: objectbucket.io/v1alpha1\nkind: ObjectBucketClaim\nmetadata:\n  name: broken\nspec:\n  generateBucketName: x\n');
    expect(await kubectlFails('apply', '-f', file)).toContain('spec.storageClassName: Required value');
    expect(await kubectl('delete', 'obc', 'models')).toContain('deleted');
    expect(await kubectlFails('get', 'obc', 'models')).toContain('objectbucketclaims.objectbucket.io "models" not found');
  });

  it('waits for a condition and for a jsonpath value set while it waits', async () => {
    const isvcKind = h.kinds.byKind('InferenceService');
    h.store.create(isvcKind, { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'granite', namespace: 'llm-hosting' }, spec: { predictor: {} } });
    const obcKind = h.kinds.byKind('ObjectBucketClaim');
    h.store.create(obcKind, { apiVersion: 'objectbucket.io/v1alpha1', kind: 'ObjectBucketClaim', metadata: { name: 'bucket', namespace: 'llm-hosting' }, spec: { storageClassName: 'sc' }, status: { phase: 'Pending' } });
    const watching = (plural: string) => new Promise<void>((resolve) => {
      onRequest = (url) => {
        if (url.includes(`/${plural}?`) && /[?&]watch=(true|1)/.test(url)) {
          onRequest = () => undefined;
          resolve();
        }
      };
    });

    let started = watching('inferenceservices');
    const waitReady = kubectl('wait', '--for=condition=Ready', 'isvc/granite', '--timeout=30s');
    await started;
    const current = h.store.get(isvcKind, 'llm-hosting', 'granite');
    if (!current) throw new Error('missing');
    h.store.update(isvcKind, { ...current, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { subresource: 'status' });
    expect(await waitReady).toContain('condition met');

    started = watching('objectbucketclaims');
    const waitBound = kubectl('wait', '--for=jsonpath={.status.phase}=Bound', 'obc/bucket', '--timeout=30s');
    await started;
    const pending = h.store.get(obcKind, 'llm-hosting', 'bucket');
    if (!pending) throw new Error('missing');
    h.store.update(obcKind, { ...pending, status: { phase: 'Bound' } }, { subresource: 'status' });
    expect(await waitBound).toContain('condition met');
  });

  it('streams changes with get -w', async () => {
    h.store.create(h.kinds.byKind('ConfigMap'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched-1', namespace: 'llm-hosting' } });
    const child = spawn('kubectl', ['get', 'cm', '-w', '-o', 'name'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const killer = setTimeout(() => child.kill(), 30_000);
    let out = '';
    let check: () => void = () => undefined;
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      check();
    });
    const waitFor = (text: string) => new Promise<void>((resolve) => {
      check = () => { if (out.includes(text)) resolve(); };
      check();
    });
    await waitFor('configmap/watched-1');
    h.store.create(h.kinds.byKind('ConfigMap'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched-2', namespace: 'llm-hosting' } });
    await waitFor('configmap/watched-2');
    child.kill();
    clearTimeout(killer);
    expect(out.trim().split('\n').filter((l) => l.includes('watched'))).toEqual(['configmap/watched-1', 'configmap/watched-2']);
  });
});
