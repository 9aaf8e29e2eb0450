import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { request } from 'node:http';
import * as k8s from '@kubernetes/client-node';
import { parse } from 'yaml';
import { startSimulation, SIM_MARKER } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { runSimCommand } from '../../../src/sim/cli.js';
import { Objects } from '../../../src/sim/operators/objects.js';
import { createHub } from '../../../src/sim/hub/index.js';

const sims: RunningSimulation[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function start(options: Parameters<typeof startSimulation>[0] = {}): Promise<RunningSimulation> {
  const sim = await startSimulation(options);
  sims.push(sim);
  return sim;
}

function clientFor(sim: RunningSimulation): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(JSON.stringify(sim.kubeconfig()));
  return kc;
}

/** GET through the ingress with a Host header. */
function viaIngress(sim: RunningSimulation, host: string): Promise<{ status: number; body: string }> {
  const [h, p] = sim.ingressAddress.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host: h, port: Number(p), path: '/', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startSimulation', () => {
  it('serves a seeded OpenShift AI cluster over HTTP to @kubernetes/client-node, with the ingress marker', async () => {
    const sim = await start();
    const kc = clientFor(sim);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const ns = await core.listNamespace();
    expect(ns.items.map((n) => n.metadata?.name)).toEqual(expect.arrayContaining(['openshift-marketplace', 'redhat-ods-applications', 'openshift-storage']));
    const nodes = await core.listNode();
    const gpus = nodes.items.filter((n) => n.status?.allocatable?.['nvidia.com/gpu'] === '1');
    expect(gpus).toHaveLength(2);
    expect(gpus[0]?.metadata?.labels?.['nvidia.com/gpu.product']).toBe('NVIDIA-A10G');
    expect(gpus[0]?.spec?.taints).toEqual([{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }]);
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    const ingress = await custom.getClusterCustomObject({ group: 'config.openshift.io', version: 'v1', plural: 'ingresses', name: 'cluster' }) as { spec: { domain: string } };
    expect(ingress.spec.domain).toBe(sim.domain);
    const pm = await custom.getNamespacedCustomObject({ group: 'packages.operators.coreos.com', version: 'v1', namespace: 'openshift-marketplace', plural: 'packagemanifests', name: '3scale-operator' }) as { status: { defaultChannel: string; channels: { name: string }[] } };
    expect(pm.status.defaultChannel).toBe('threescale-2.16');
    expect(pm.status.channels.map((c) => c.name)).toEqual(['threescale-2.15', 'threescale-2.16']);
    const templates = await custom.listNamespacedCustomObject({ group: 'template.openshift.io', version: 'v1', namespace: 'redhat-ods-applications', plural: 'templates', labelSelector: 'opendatahub.io/dashboard=true' }) as { items: { metadata: { name: string }; objects: { kind: string }[] }[] };
    expect(templates.items.map((t) => t.metadata.name).sort()).toEqual(['vllm-cpu-runtime-template', 'vllm-cuda-runtime-template', 'vllm-gaudi-runtime-template', 'vllm-rocm-runtime-template']);
    expect(templates.items[0]?.objects[0]?.kind).toBe('ServingRuntime');
    const marker = await core.readNamespacedConfigMap({ name: SIM_MARKER.name, namespace: SIM_MARKER.namespace });
    expect(marker.data).toEqual({ ingressAddress: sim.ingressAddress, domain: sim.domain });
    const cluster = (sim.kubeconfig()['clusters'] as { cluster: { extensions: { name: string; extension: unknown }[] } }[])[0];
    expect(cluster?.cluster.extensions).toEqual([{ name: 'maas-wizard.io/sim', extension: { ingressAddress: sim.ingressAddress, domain: sim.domain } }]);
  });

  it('with the Hub stand-in, the marker ConfigMap and the kubeconfig extension list the hosts served outside the domain', async () => {
    const sim = await start({ backends: { hub: createHub() } });
    const o = new Objects(sim.store, sim.kinds);
    expect(o.get('ConfigMap', SIM_MARKER.namespace, SIM_MARKER.name)?.['data']).toEqual({ ingressAddress: sim.ingressAddress, domain: sim.domain, hosts: 'huggingface.co' });
    const cluster = (sim.kubeconfig()['clusters'] as { cluster: { extensions: { name: string; extension: unknown }[] } }[])[0];
    expect(cluster?.cluster.extensions).toEqual([{ name: 'maas-wizard.io/sim', extension: { ingressAddress: sim.ingressAddress, domain: sim.domain, hosts: ['huggingface.co'] } }]);
  });

  it('the ingress answers an unknown host like the OpenShift router: 503 "Application is not available"', async () => {
    const sim = await start();
    sim.ingress.set(`hello.${sim.domain}`, (_req, res) => {
      res.end('hi');
    });
    expect(await viaIngress(sim, `hello.${sim.domain}:443`)).toEqual({ status: 200, body: 'hi' });
    const miss = await viaIngress(sim, `nothing.${sim.domain}`);
    expect(miss.status).toBe(503);
    expect(miss.body).toContain('Application is not available');
  });

  it('Keycloak kinds appear in discovery only after the rhsso-operator CSV succeeded', async () => {
    const sim = await start();
    const kc = clientFor(sim);
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const keycloak = { apiVersion: 'keycloak.org/v1alpha1', kind: 'Keycloak', metadata: { name: 'rh-sso', namespace: 'rh-sso', labels: { app: 'rh-sso' } }, spec: { externalAccess: { enabled: true }, instances: 1 } };
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    await expect(custom.listNamespacedCustomObject({ group: 'keycloak.org', version: 'v1alpha1', namespace: 'default', plural: 'keycloaks' })).rejects.toMatchObject({ code: 404 });
    await objects.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'rh-sso' } });
    await objects.create({ apiVersion: 'operators.coreos.com/v1', kind: 'OperatorGroup', metadata: { name: 'rh-sso', namespace: 'rh-sso' }, spec: { targetNamespaces: ['rh-sso'] } });
    await objects.create({ apiVersion: 'operators.coreos.com/v1alpha1', kind: 'Subscription', metadata: { name: 'rhsso-operator', namespace: 'rh-sso' }, spec: { name: 'rhsso-operator', channel: 'stable', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' } });
    const o = new Objects(sim.store, sim.kinds);
    await new Promise<void>((resolve) => {
      const done = (): boolean => o.list('ClusterServiceVersion', 'rh-sso').some((c) => (c['status'] as { phase?: string } | undefined)?.phase === 'Succeeded');
      if (done()) return resolve();
      const off = sim.store.subscribe(() => {
        if (done()) {
          off();
          resolve();
        }
      });
    });
    await objects.create(keycloak);
    const list = await custom.listNamespacedCustomObject({ group: 'keycloak.org', version: 'v1alpha1', namespace: 'rh-sso', plural: 'keycloaks' }) as { items: unknown[] };
    expect(list.items).toHaveLength(1);
  });

  it('realistic timing with a high speed factor finishes in the order of the durations table', async () => {
    const sim = await start({ timing: 'realistic', speed: 1000 });
    const o = new Objects(sim.store, sim.kinds);
    const order: string[] = [];
    sim.store.subscribe((e) => {
      const st = (e.object['status'] ?? {}) as { phase?: string; ready?: boolean };
      if (e.kind.kind === 'ObjectBucketClaim' && st.phase === 'Bound' && !order.includes('obc')) order.push('obc');
      if (e.kind.kind === 'ClusterServiceVersion' && st.phase === 'Succeeded' && !order.includes('csv')) order.push('csv');
    });
    o.ensure('Namespace', { metadata: { name: 'rh-sso' } });
    o.ensure('OperatorGroup', { metadata: { name: 'rh-sso', namespace: 'rh-sso' }, spec: { targetNamespaces: ['rh-sso'] } });
    o.ensure('Subscription', { metadata: { name: 'rhsso-operator', namespace: 'rh-sso' }, spec: { name: 'rhsso-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' } });
    o.ensure('ObjectBucketClaim', { metadata: { name: 'models', namespace: 'rh-sso' }, spec: { generateBucketName: 'models', storageClassName: 'ocs-storagecluster-ceph-rgw' } });
    await sim.clock.settled();
    expect(order).toEqual(['obc', 'csv']);
  });

  it('restarting from the state directory keeps objects and does not re-seed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maas-sim-state-'));
    dirs.push(dir);
    const first = await startSimulation({ stateDir: dir });
    const o1 = new Objects(first.store, first.kinds);
    o1.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
    o1.ensure('Namespace', { metadata: { name: 'rh-sso' } });
    o1.ensure('OperatorGroup', { metadata: { name: 'rh-sso', namespace: 'rh-sso' }, spec: { targetNamespaces: ['rh-sso'] } });
    o1.ensure('Subscription', { metadata: { name: 'rhsso-operator', namespace: 'rh-sso' }, spec: { name: 'rhsso-operator', source: 'redhat-operators', sourceNamespace: 'openshift-marketplace' } });
    await first.clock.settled();
    expect(first.kinds.isServed(first.kinds.byKind('Keycloak'))).toBe(true);
    o1.remove('StorageClass', undefined, 'gp3-csi');
    const uid = o1.get('Namespace', undefined, 'llm-hosting')?.metadata.uid;
    await first.stop();
    const second = await start({ stateDir: dir });
    const o2 = new Objects(second.store, second.kinds);
    expect(o2.get('Namespace', undefined, 'llm-hosting')?.metadata.uid).toBe(uid);
    expect(o2.get('StorageClass', undefined, 'gp3-csi')).toBeUndefined();
    expect(o2.list('PackageManifest', 'openshift-marketplace')).toHaveLength(2);
    expect(second.kinds.isServed(second.kinds.byKind('Keycloak'))).toBe(true);
    expect(o2.get('ConfigMap', SIM_MARKER.namespace, SIM_MARKER.name)?.['data']).toMatchObject({ ingressAddress: second.ingressAddress });
  });

  it('a port in use is refused and leaves nothing running', async () => {
    const first = await start();
    const port = Number(new URL(first.apiUrl).port);
    await expect(startSimulation({ port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('unknown scenario names are refused with the list of known ones', async () => {
    await expect(startSimulation({ scenarios: ['no-such-thing'] })).rejects.toThrow(/unknown scenario "no-such-thing"; known scenarios: no-rwx-class, no-rgw-class/);
  });
});

describe('runSimCommand', () => {
  it('writes a 0600 kubeconfig that client-node can use, prints the addresses but not the token, stops on abort', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maas-sim-cli-'));
    dirs.push(dir);
    const out = new PassThrough();
    let printed = '';
    out.on('data', (c: Buffer) => (printed += c.toString()));
    const abort = new AbortController();
    const file = path.join(dir, 'sim.kubeconfig');
    const running = runSimCommand({ kubeconfigOut: file, timing: 'instant' }, { stdout: out, signal: abort.signal });
    await new Promise<void>((resolve) => out.once('data', () => resolve()));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const text = await readFile(file, 'utf8');
    const doc = parse(text) as { users: { user: { token: string } }[]; clusters: { cluster: { server: string } }[] };
    const token = doc.users[0]?.user.token ?? '';
    expect(token.length).toBeGreaterThan(20);
    expect(printed).toContain(doc.clusters[0]?.cluster.server ?? 'missing');
    expect(printed).toContain(file);
    expect(printed).toContain('apps.sim.maas.example');
    expect(printed).toMatch(/127\.0\.0\.1:\d+/);
    expect(printed).not.toContain(token);
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(file);
    const ns = await kc.makeApiClient(k8s.CoreV1Api).readNamespace({ name: 'openshift-storage' });
    expect(ns.status?.phase).toBe('Active');
    abort.abort();
    await running;
    await expect(kc.makeApiClient(k8s.CoreV1Api).readNamespace({ name: 'default' })).rejects.toThrow();
  });
});

describe('maas-wizard sim with kubectl', () => {
  const kubectl = ['/usr/bin/kubectl', '/usr/local/bin/kubectl'].find((p) => existsSync(p));
  if (!kubectl) console.warn('skipped: kubectl is not on this machine');
  it.skipIf(!kubectl)('serves HTTPS so kubectl sends its token, and kubectl reads the simulated cluster', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maas-sim-kubectl-'));
    dirs.push(dir);
    const out = new PassThrough();
    const abort = new AbortController();
    const file = path.join(dir, 'sim.kubeconfig');
    const running = runSimCommand({ kubeconfigOut: file, timing: 'instant' }, { stdout: out, signal: abort.signal });
    await new Promise<void>((resolve) => out.once('data', () => resolve()));
    try {
      const doc = parse(await readFile(file, 'utf8')) as { clusters: { cluster: { server: string } }[] };
      expect(doc.clusters[0]?.cluster.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const run = promisify(execFile);
      const { stdout } = await run(kubectl as string, ['--kubeconfig', file, 'get', 'storageclass', '-o', 'name'], { timeout: 30_000 });
      expect(stdout).toContain('storageclass.storage.k8s.io/ocs-storagecluster-ceph-rgw');
    } finally {
      abort.abort();
      await running;
    }
  });
});
