/**
 * Test helper for the storage and import steps: a simulated cluster (instant timing) with the
 * simulated S3 and Hugging Face Hub stand-in as backends, the wizard's services built from its
 * kubeconfig, and a runner that drives steps through the Engine with a scripted, unattended host.
 *
 * The simulation creates ODF's S3 Routes in `openshift-storage` (`s3`,
 * `ocs-storagecluster-cephobjectstore`) and serves the S3 backend on their hosts; `routes: false`
 * deletes the Route objects (their hosts stay served) to exercise the default endpoint.
 */
import { createServices } from '../../../src/cluster/services.js';
import type { Services } from '../../../src/cluster/services.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import { Engine } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/run.js';
import type { AnyStep, EngineEvent } from '../../../src/engine/types.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createHub } from '../../../src/sim/hub/index.js';
import type { SimHub } from '../../../src/sim/hub/index.js';
import { createS3 } from '../../../src/sim/s3/index.js';
import type { SimS3 } from '../../../src/sim/s3/index.js';

/** A running simulation with its S3 and Hub backends, and services pointed at it. */
export interface StorageCluster {
  sim: RunningSimulation;
  s3: SimS3;
  hub: SimHub;
  services: Services;
  stop(): Promise<void>;
}

/** ODF's S3 Routes: Route name → Service name in openshift-storage. */
export const ODF_ROUTES: Record<string, string> = { s3: 's3', 'ocs-storagecluster-cephobjectstore': 'rook-ceph-rgw-ocs-storagecluster-cephobjectstore' };

/** Starts the simulation with S3 + Hub backends. `routes: false` deletes ODF's S3 Route objects. */
export async function startStorageCluster(scenarios: string[] = [], options: { routes?: boolean } = {}): Promise<StorageCluster> {
  const s3 = await createS3();
  const hub = createHub();
  const sim = await startSimulation({ timing: 'instant', scenarios, backends: { s3, hub } });
  if (options.routes === false) {
    for (const route of Object.keys(ODF_ROUTES)) sim.store.delete(sim.kinds.byKind('Route'), 'openshift-storage', route);
  }
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' } });
  return {
    sim, s3, hub, services,
    async stop() {
      await services.close();
      await sim.stop();
      await s3.close();
    },
  };
}

/** Options of `run`. */
export interface RunOptions {
  answers?: Record<string, Record<string, unknown>>;
  secrets?: Record<string, Record<string, string>>;
  signal?: AbortSignal;
  onEvent?: (e: EngineEvent, engine: Engine<Services>) => void;
}

/** Runs steps through the engine, unattended; returns the result and every event. */
export async function run(services: Services, steps: AnyStep<Services>[], options: RunOptions = {}): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const engine = new Engine<Services>({
    steps, services, host: new ScriptedHost({}, { interactive: false }), answers: options.answers ?? {}, secrets: options.secrets ?? {}, yes: true, env: {},
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const events: EngineEvent[] = [];
  engine.on((e) => {
    events.push(e);
    options.onEvent?.(e, engine);
  });
  const result = await engine.run();
  return { result, events };
}

/** S3 requests the simulation saw, as `METHOD path`. */
export function s3Requests(sim: RunningSimulation): string[] {
  return sim.requestLog.entries().filter((e) => e.service === 's3').map((e) => `${e.method} ${e.path}`);
}
