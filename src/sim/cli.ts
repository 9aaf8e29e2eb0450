/**
 * `maas-wizard sim`: runs the simulated cluster on its own, writes a kubeconfig pointing at it
 * (so `kubectl`/`oc` and the wizard can be used against it) and serves until the signal aborts.
 * The CLI engineer wires this to commander; this module parses nothing.
 */
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import type { TimingProfile } from './types.js';
import { defaultBackends } from './backends.js';
import { startSimulation } from './index.js';
import type { BackendsFactory } from './index.js';
import type { SimBackends } from './operators/index.js';

/** Options of `maas-wizard sim`. `speed` divides realistic durations; `record` is the request log path. */
export interface SimCommandOptions {
  port?: number;
  stateDir?: string;
  /** Where the kubeconfig is written (mode 0600); default `./maas-sim.kubeconfig`. */
  kubeconfigOut?: string;
  timing?: TimingProfile;
  speed?: number;
  scenario?: string[];
  record?: string;
  /** Services behind the Routes (Keycloak, 3scale, S3, Hub, model servers); default: all of them. */
  backends?: SimBackends | BackendsFactory;
  /** HTTPS for the API server (default true: kubectl needs it). */
  tls?: boolean;
}

/** Default kubeconfig file name, in the working directory. */
export const DEFAULT_KUBECONFIG_OUT = 'maas-sim.kubeconfig';

/**
 * Starts the simulation, writes its kubeconfig (YAML, mode 0600: it holds the token), prints the
 * API URL, the kubeconfig path, the wildcard domain and the ingress address (never the token), and
 * resolves after `io.signal` aborts and everything is stopped and flushed.
 * @throws Error for an unknown scenario, a port in use, or a kubeconfig path that cannot be written
 *   (the simulation is stopped first).
 */
export async function runSimCommand(options: SimCommandOptions, io: { stdout: NodeJS.WritableStream; signal: AbortSignal }): Promise<void> {
  const sim = await startSimulation({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.stateDir !== undefined ? { stateDir: options.stateDir } : {}),
    ...(options.record !== undefined ? { recordFile: options.record } : {}),
    timing: options.timing ?? 'realistic',
    speed: options.speed ?? 1,
    scenarios: options.scenario ?? [],
    backends: options.backends ?? defaultBackends(),
    // kubectl and oc send the bearer token only over TLS.
    tls: options.tls ?? true,
  });
  try {
    const file = path.resolve(options.kubeconfigOut ?? DEFAULT_KUBECONFIG_OUT);
    await writeFile(file, stringify(sim.kubeconfig()), { mode: 0o600 });
    await chmod(file, 0o600);
    const lines = [
      'Simulated OpenShift cluster running.',
      `  API server:      ${sim.apiUrl}`,
      `  kubeconfig:      ${file}   (export KUBECONFIG=${file})`,
      `  wildcard domain: ${sim.domain}`,
      `  ingress:         ${sim.ingressAddress}   (every *.${sim.domain} host, by Host header)`,
      ...(options.scenario?.length ? [`  scenarios:       ${options.scenario.join(', ')}`] : []),
      'Press Ctrl-C to stop.',
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    if (!io.signal.aborted) await new Promise<void>((resolve) => io.signal.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await sim.stop();
  }
}
