/**
 * Test helpers of the SSO stage: a simulated cluster (instant timing unless asked) with the
 * simulated Keycloak behind its Route, services built from its kubeconfig, and an engine runner
 * with a scripted host.
 */
import { createServices } from '../../../src/cluster/services.js';
import type { Services } from '../../../src/cluster/services.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import type { ScriptedAnswers } from '../../../src/engine/host.js';
import type { ProgressStore } from '../../../src/engine/progress.js';
import { Engine } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/run.js';
import type { AnyStep, Change, EngineEvent } from '../../../src/engine/types.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createKeycloak } from '../../../src/sim/keycloak/index.js';
import type { SimKeycloak } from '../../../src/sim/keycloak/index.js';
import type { TimingProfile } from '../../../src/sim/types.js';
import { preflightStep } from '../../../steps/preflight.js';
import { ssoSteps } from '../../../steps/sso/index.js';

/** A running simulation plus services pointed at it. */
export interface SsoCluster {
  sim: RunningSimulation;
  services: Services;
  /** The simulated Keycloak behind the Route (its `snapshot()` shows what was stored). */
  keycloak: SimKeycloak;
  stop(): Promise<void>;
}

/** Starts a simulation whose RH-SSO operator serves the simulated Keycloak, and builds the services. */
export async function startSsoCluster(options: { scenarios?: string[]; timing?: TimingProfile; speed?: number } = {}): Promise<SsoCluster> {
  const keycloak = createKeycloak();
  const sim = await startSimulation({
    timing: options.timing ?? 'instant',
    ...(options.speed ? { speed: options.speed } : {}),
    scenarios: options.scenarios ?? [],
    backends: { keycloak },
  });
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' } });
  return {
    sim,
    services,
    keycloak,
    async stop() {
      await services.close();
      await sim.stop();
    },
  };
}

/** Preflight plus the SSO steps. */
export function steps(): AnyStep<Services>[] {
  return [preflightStep, ...ssoSteps()];
}

/** Runs the steps through the engine; unattended (`--yes`, non-interactive host) unless `interactive`. */
export async function run(
  services: Services,
  options: { answers?: Record<string, Record<string, unknown>>; secrets?: Record<string, Record<string, string>>; interactive?: boolean; script?: ScriptedAnswers; only?: string[]; progress?: ProgressStore } = {},
): Promise<{ result: RunResult; events: EngineEvent[]; host: ScriptedHost }> {
  const host = new ScriptedHost(options.script ?? {}, { interactive: options.interactive ?? false });
  const engine = new Engine<Services>({
    steps: steps(),
    services,
    host,
    answers: options.answers ?? {},
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
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

/** Requests to the simulated services that change something: every non-GET except token grants (which only log in). */
export function writeRequests(sim: RunningSimulation, since = 0): { service: string; method: string; path: string; status: number }[] {
  return sim.requestLog
    .entries()
    .slice(since)
    .filter((e) => e.method !== 'GET' && e.method !== 'HEAD' && !/\/protocol\/openid-connect\/token$/.test(e.path) && !/selfsubject(access)?reviews/.test(e.path))
    .map(({ service, method, path, status }) => ({ service, method, path, status }));
}

/** A realm as the simulated Keycloak stores it (clients with mappers, secrets, identity providers). */
export interface StoredRealm {
  rep: Record<string, unknown>;
  clients: { id: string; clientId: string; protocolMappers: { id: string; name: string; protocolMapper: string; config: Record<string, string> }[]; [k: string]: unknown }[];
  secrets: Record<string, string>;
  identityProviders: { alias: string; providerId: string; trustEmail?: boolean; config: Record<string, string> }[];
}

/** The stored realm `name`, read from the simulated Keycloak's snapshot (not through the wizard). */
export function storedRealm(cluster: SsoCluster, name = 'maas'): StoredRealm | undefined {
  const snap = cluster.keycloak.snapshot() as { data: { realms: StoredRealm[] } };
  return snap.data.realms.find((r) => r.rep['realm'] === name);
}
