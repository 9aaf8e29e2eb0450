/**
 * Test helper: a simulated cluster (src/sim/index.ts `startSimulation`, instant timing) with the
 * wizard's services built from its kubeconfig, and a runner that drives steps through the engine
 * with a scripted, non-interactive host.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices } from '../../src/cluster/services.js';
import type { Services } from '../../src/cluster/services.js';
import { ScriptedHost } from '../../src/engine/host.js';
import { Engine } from '../../src/engine/run.js';
import type { RunResult } from '../../src/engine/run.js';
import type { AnyStep, EngineEvent } from '../../src/engine/types.js';
import type { Simulation, SimulationOptions } from '../../src/sim/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** True once the simulation's entry point exists (the tests against it skip until then). */
export const hasSim = existsSync(path.resolve(here, '../../src/sim/index.ts'));
if (!hasSim) console.warn('skipped: src/sim/index.ts (startSimulation) does not exist yet');

/** A running simulation plus services pointed at it. */
export interface TestCluster {
  sim: Simulation;
  services: Services;
  stop(): Promise<void>;
}

/** Starts a simulation with `scenarios` and builds the services from its kubeconfig. */
export async function startCluster(scenarios: string[] = []): Promise<TestCluster> {
  const modulePath = '../../src/sim/index.js';
  const mod = (await import(modulePath)) as { startSimulation(o: SimulationOptions): Promise<Simulation> };
  const sim = await mod.startSimulation({ timing: 'instant', scenarios });
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' } });
  return {
    sim,
    services,
    async stop() {
      await services.close();
      await sim.stop();
    },
  };
}

/** Runs steps through the engine, unattended, with `answers` per step; returns the result and every event. */
export async function runSteps(
  services: Services,
  steps: AnyStep<Services>[],
  answers: Record<string, Record<string, unknown>> = {},
): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const engine = new Engine<Services>({ steps, services, host: new ScriptedHost({}, { interactive: false }), answers, yes: true, env: {} });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const result = await engine.run();
  return { result, events };
}
