/**
 * Test helpers of the 3scale stage: a simulated cluster (instant timing) whose 3scale operator
 * serves the simulated 3scale behind its Routes, services built from its kubeconfig, and an engine
 * runner with a scripted host.
 */
import { createServices } from '../../../src/cluster/services.js';
import type { Services } from '../../../src/cluster/services.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import type { ScriptedAnswers } from '../../../src/engine/host.js';
import { Engine } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/run.js';
import type { AnyStep, Change, EngineEvent } from '../../../src/engine/types.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createThreescale } from '../../../src/sim/threescale/index.js';
import type { ThreescaleSim } from '../../../src/sim/threescale/index.js';
import { preflightStep } from '../../../steps/preflight.js';
import { threescaleSteps } from '../../../steps/threescale/index.js';

/** A running simulation with the simulated 3scale, plus services pointed at it. */
export interface ThreescaleCluster {
  sim: RunningSimulation;
  services: Services;
  threescale: ThreescaleSim;
  stop(): Promise<void>;
}

/** Starts a simulation (instant timing) with the simulated 3scale as its backend. */
export async function startThreescaleCluster(scenarios: string[] = []): Promise<ThreescaleCluster> {
  let threescale: ThreescaleSim | undefined;
  const sim = await startSimulation({
    timing: 'instant',
    scenarios,
    backends: (env) => {
      threescale = createThreescale({ domain: env.domain, services: env.services });
      return { threescale };
    },
  });
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' } });
  const ts = threescale as ThreescaleSim;
  return {
    sim,
    services,
    threescale: ts,
    async stop() {
      await services.close();
      await sim.stop();
    },
  };
}

/** Preflight plus the 3scale steps. */
export function steps(): AnyStep<Services>[] {
  return [preflightStep, ...threescaleSteps()];
}

/** Runs the steps through the engine; unattended (`--yes`) unless `interactive`. */
export async function run(
  services: Services,
  options: { answers?: Record<string, Record<string, unknown>>; secrets?: Record<string, Record<string, string>>; interactive?: boolean; script?: ScriptedAnswers; only?: string[] } = {},
): Promise<{ result: RunResult; events: EngineEvent[]; host: ScriptedHost }> {
  const host = new ScriptedHost(options.script ?? {}, { interactive: options.interactive ?? false });
  const engine = new Engine<Services>({
    steps: steps(),
    services,
    host,
    answers: options.answers ?? {},
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.only ? { only: options.only } : {}),
    yes: !options.interactive,
    env: {},
  });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const result = await engine.run();
  return { result, events, host };
}

/** The plan a step emitted in a run. */
export function planOf(events: EngineEvent[], step: string): Change[] {
  const e = events.find((x): x is Extract<EngineEvent, { type: 'plan' }> => x.type === 'plan' && x.step === step);
  if (!e) throw new Error(`no plan event for ${step}`);
  return e.changes;
}

/** Outputs a step emitted in a run. */
export function outputsOf(events: EngineEvent[], step: string): Record<string, unknown> | undefined {
  return events.find((x): x is Extract<EngineEvent, { type: 'outputs' }> => x.type === 'outputs' && x.step === step)?.outputs;
}

/** Final state of a step and its error, for failure messages. */
export function stateOf(events: EngineEvent[], step: string): { state?: string; error?: string } {
  const last = events.filter((x): x is Extract<EngineEvent, { type: 'state' }> => x.type === 'state' && x.step === step).pop();
  return { ...(last ? { state: last.state } : {}), ...(last?.error ? { error: `${last.error.code}: ${last.error.message}` } : {}) };
}
