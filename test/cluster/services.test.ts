import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createServices } from '../../src/cluster/services.js';
import type { Services } from '../../src/cluster/services.js';
import type { HostHandler, Simulation, SimulationOptions } from '../../src/sim/types.js';
import { hasSim } from '../steps/sim.js';

type RunningSim = Simulation & { ingress: { set(host: string, h: HostHandler): void } };

/** A route handler answering with the Host header it received. */
const echo: HostHandler = (req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ host: req.headers.host, path: req.url }));
};

describe.skipIf(!hasSim)('createServices against the simulated cluster', () => {
  let sim: RunningSim;
  let dir: string;
  const opened: Services[] = [];
  const env = { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' };

  beforeAll(async () => {
    const modulePath = '../../src/sim/index.js';
    const mod = (await import(modulePath)) as { startSimulation(o: SimulationOptions): Promise<RunningSim> };
    sim = await mod.startSimulation({ timing: 'instant' });
    sim.ingress.set(`echo.${sim.domain}`, echo);
    sim.ingress.set('huggingface.co', echo);
    dir = mkdtempSync(path.join(tmpdir(), 'services-'));
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await sim?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function services(options: Parameters<typeof createServices>[0]): Promise<Services> {
    const s = await createServices({ env, ...options });
    opened.push(s);
    return s;
  }

  it('routes https route hosts to the simulation ingress from the kubeconfig marker, keeping the Host header', async () => {
    const s = await services({ inlineKubeconfig: sim.kubeconfig() });
    expect(s.cluster).toMatchObject({ server: sim.apiUrl, context: 'maas-sim', domain: sim.domain, ingressAddress: sim.ingressAddress });
    const res = await s.http.fetch(`https://echo.${sim.domain}/auth/realms/maas`);
    expect(await res.json()).toEqual({ host: `echo.${sim.domain}`, path: '/auth/realms/maas' });
    const nothing = await s.http.fetch(`https://nothing-here.${sim.domain}/`);
    expect(nothing.status).toBe(503);
    const hub = await s.http.fetch('https://huggingface.co/api/models/ibm-granite/granite-8b-code-instruct-128k');
    expect(((await hub.json()) as { host: string }).host).toBe('huggingface.co');
    expect(s.http.routes('example.org')).toBe(false);
  });

  it('finds a standalone simulation through its in-cluster ConfigMap when the kubeconfig has no marker', async () => {
    const kubeconfig = sim.kubeconfig() as { clusters: { cluster: Record<string, unknown> }[] };
    for (const c of kubeconfig.clusters) delete c.cluster['extensions'];
    const file = path.join(dir, 'plain.kubeconfig');
    writeFileSync(file, stringify(kubeconfig), { mode: 0o600 });
    const s = await services({ kubeconfig: file });
    expect(s.cluster.ingressAddress).toBe(sim.ingressAddress);
    const res = await s.http.fetch(`https://echo.${sim.domain}/x`);
    expect(((await res.json()) as { host: string }).host).toBe(`echo.${sim.domain}`);
  });

  it('lets --ingress-address win, reading the domain from the cluster Ingress config', async () => {
    const other = http.createServer((req, res) => res.end(`other ${req.headers.host ?? ''}`));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const address = `127.0.0.1:${(other.address() as net.AddressInfo).port}`;
      const s = await services({ inlineKubeconfig: sim.kubeconfig(), ingressAddress: address });
      expect(s.cluster).toMatchObject({ ingressAddress: address, domain: sim.domain });
      const res = await s.http.fetch(`http://app.${sim.domain}/`);
      expect(await res.text()).toBe(`other app.${sim.domain}`);
    } finally {
      other.closeAllConnections();
      other.close();
    }
  });

  it('routes nothing on a cluster without a marker and without --ingress-address', async () => {
    const kubeconfig = sim.kubeconfig() as { clusters: { cluster: Record<string, unknown> }[] };
    for (const c of kubeconfig.clusters) delete c.cluster['extensions'];
    const first = await services({ inlineKubeconfig: kubeconfig });
    await first.kube.delete({ apiVersion: 'v1', kind: 'ConfigMap', name: 'maas-sim', namespace: 'openshift-config-managed' });
    const s = await services({ inlineKubeconfig: kubeconfig });
    expect(s.cluster.ingressAddress).toBeUndefined();
    expect(s.http.routes(`echo.${sim.domain}`)).toBe(false);
    expect(s.http.routes('huggingface.co')).toBe(false);
  });
});
