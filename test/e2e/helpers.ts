/**
 * Helpers for the end-to-end tests: the whole wizard (`main()` in-process, real steps, real
 * adapters) against the simulated cluster, either `--demo` (the CLI starts the simulation, state
 * under `<home>/demo-state/`) or a simulation the test starts itself and points the wizard at
 * through a kubeconfig file, so the test can read the simulation's request log.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { connectKeycloak } from '../../src/cluster/keycloak.js';
import { createServices } from '../../src/cluster/services.js';
import type { Services } from '../../src/cluster/services.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { defaultBackends } from '../../src/sim/backends.js';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { startSimulation } from '../../src/sim/index.js';
import type { RunningSimulation } from '../../src/sim/index.js';
import { isWriteRequest } from '../../src/sim/kube/faults.js';
import type { RequestLogEntry } from '../../src/sim/kube/record.js';
import { runCli, tempDir } from '../cli/helpers.js';
import type { RunOptions, RunOutcome } from '../cli/helpers.js';

/** The flags of an unattended demo run on instant timing (operators finish at once). */
export const DEMO = ['--demo', '--yes', '--demo-timing', 'instant'] as const;

/** The models of the default catalog and their serving step ids (steps/serving, steps/import catalog). */
export const SERVING_STEPS = ['serving.granite-8b-code-instruct', 'serving.mistral-7b-instruct', 'serving.nomic-embed-text'] as const;
/** InferenceService names of the default models (`status.outputs.name` of the serving steps). */
export const MODEL_NAMES = ['granite-8b-code-instruct', 'mistral-7b-instruct', 'nomic-embed-text'] as const;

/** Runs `maas-wizard --demo --yes --demo-timing instant ...extra` in-process, stdin empty (no TTY). */
export function runDemo(extra: string[] = [], options: RunOptions = {}): Promise<RunOutcome> {
  return runCli([...DEMO, ...extra], { input: '', ...options });
}

/** The end of a run's output (stdout, then stderr), for assertion messages: why a run did not exit as expected. */
export function tail(r: { stdout: { text: string }; stderr: { text: string } }, chars = 4000): string {
  return `--- stdout (end)\n${r.stdout.text.slice(-chars)}\n--- stderr (end)\n${r.stderr.text.slice(-chars)}`;
}

/**
 * Writes an answers file under `home` choosing the import from this machine (`import.method: local`)
 * plus `extra` step inputs; returns its name (relative to `home`, the runs' cwd).
 *
 * Why: the in-cluster import Job of the simulation (src/sim/operators/importer.ts through
 * pod-network.ts, work in progress at the time of writing) fails now and then with "socket hang up"
 * when the machine is loaded (see the e2e report). Tests whose subject is not the import use the
 * local method so that bug does not make them flaky; demo-unattended keeps the default (Job).
 */
export function localImportAnswers(home: string, extra: Record<string, Record<string, unknown>> = {}, name = 'answers.yaml'): string {
  writeFileSync(join(home, name), stringify({ import: { method: 'local' }, ...extra }));
  return name;
}

/** True when a run failed only because the simulated import Job lost a connection (the known bug above). */
export function importJobHungUp(r: { code: number; stdout: { text: string } }): boolean {
  return r.code === 1 && /import \(apply\): the import Job .* failed: socket hang up/.test(r.stdout.text);
}

/** One step as `maas-wizard status --output json` prints it (src/cli/commands/status.ts `StepStatus`). */
export interface StatusStep {
  step: string;
  stage?: string;
  state: string;
  outputs: Record<string, unknown>;
  attempts: { state: string; error?: { code: string; message: string; fix?: string } }[];
  lastError?: { code: string; message: string; fix?: string };
}

/** `maas-wizard status --output json [...extra]` on `home`; throws when it does not exit 0. */
export async function readStatus(home: string, extra: string[] = ['--demo']): Promise<{ file: string; steps: StatusStep[] }> {
  const r = await runCli(['status', ...extra, '--output', 'json'], { home });
  if (r.code !== 0) throw new Error(`status exited ${r.code}: ${r.stderr.text}`);
  return JSON.parse(r.stdout.text) as { file: string; steps: StatusStep[] };
}

/** The engine events of a `--output json` run (one JSON object per line; non-event lines such as `error` included as they are). */
export function jsonEvents(text: string): (EngineEvent | { type: 'error'; code: string; message: string })[] {
  return text
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as EngineEvent);
}

/** The demo profile's progress file under `home`. */
export function demoProgressFile(home: string): string {
  return join(home, 'profiles', 'demo.json');
}

/** Text of a file, for before/after comparisons. */
export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/**
 * An OAuth token request (Keycloak's `POST /auth/realms/{realm}/protocol/openid-connect/token`, the
 * admin log-in): a POST that changes nothing in the cluster, though the simulation's
 * `isWriteRequest` counts it.
 */
const TOKEN_REQUEST = /\/protocol\/openid-connect\/token(\?|$)/;

/**
 * Write requests in a request log (src/sim/kube/faults.ts `isWriteRequest`: POST/PUT/PATCH/DELETE
 * except access reviews; log-ins at a token endpoint left out too), as `METHOD service path` lines.
 */
export function writesIn(entries: readonly RequestLogEntry[]): string[] {
  return entries
    .filter((e) => isWriteRequest(e.method, e.path) && !(e.method === 'POST' && TOKEN_REQUEST.test(e.path)))
    .map((e) => `${e.method} ${e.service} ${e.path}`);
}

/** A simulation the test controls, with the wizard pointed at it by a kubeconfig file. */
export interface ControlledCluster {
  sim: RunningSimulation;
  /** Path of the kubeconfig file (the simulation's `kubeconfig()` as YAML). */
  kubeconfig: string;
  /** Config home for the wizard's progress. */
  home: string;
  /** Runs the wizard (`--kubeconfig FILE --profile e2e --yes ...extra`, no TTY) against it. */
  wizard(extra?: string[]): Promise<RunOutcome>;
  stop(): Promise<void>;
}

/**
 * Starts a simulation with every backend (as `--demo` does), instant timing, in memory, and
 * writes its kubeconfig to a file. The wizard gets the simulated Hub's demo token as `HF_TOKEN`
 * (src/sim/hub/auth.ts `DEMO_HF_TOKEN`, what `--demo` gives it).
 */
export async function startControlledCluster(scenarios: string[] = []): Promise<ControlledCluster> {
  const sim = await startSimulation({ backends: defaultBackends(), timing: 'instant', scenarios });
  const home = tempDir('maas-e2e-');
  const kubeconfig = join(home, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, stringify(sim.kubeconfig()), { mode: 0o600 });
  return {
    sim,
    kubeconfig,
    home,
    wizard: (extra = []) =>
      runCli(['--kubeconfig', kubeconfig, '--profile', 'e2e', '--yes', ...extra], { home, input: '', env: { HF_TOKEN: DEMO_HF_TOKEN } }),
    stop: () => sim.stop(),
  };
}

/** A simulation restarted from a demo's saved state (`<home>/demo-state/`), with services pointed at it, to inspect what the demo left. */
export interface SavedDemoCluster {
  sim: RunningSimulation;
  services: Services;
  /** InferenceServices in `namespace`, by name. */
  inferenceServices(namespace?: string): string[];
  /** `clientId` of every client of realm `realm` in the simulated Keycloak, through its admin API. */
  keycloakClients(realm?: string): Promise<{ clientId: string; mappers: string[] }[]>;
  stop(): Promise<void>;
}

/** Restarts the demo's simulated cluster from its state directory (stop it before the next run on that home). */
export async function openSavedDemo(home: string): Promise<SavedDemoCluster> {
  const sim = await startSimulation({ backends: defaultBackends(), timing: 'instant', stateDir: join(home, 'demo-state') });
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: home, PATH: process.env['PATH'] ?? '' } });
  return {
    sim,
    services,
    inferenceServices: (namespace = 'llm-hosting') =>
      sim.store.list(sim.kinds.byKind('InferenceService'), namespace).map((o) => o.metadata.name),
    async keycloakClients(realm = 'maas') {
      const kc = sim.store.get(sim.kinds.byKind('Keycloak'), 'rh-sso', 'rh-sso');
      const status = (kc?.['status'] ?? {}) as { externalURL?: string; credentialSecret?: string };
      if (!status.externalURL || !status.credentialSecret) throw new Error('Keycloak rh-sso/rh-sso has no externalURL / credentialSecret in its status');
      const conn = await connectKeycloak(services, { url: status.externalURL, credentialSecret: { namespace: 'rh-sso', name: status.credentialSecret } });
      const clients = await conn.admin.clients.find({ realm });
      return clients.map((c) => ({ clientId: c.clientId ?? '', mappers: (c.protocolMappers ?? []).map((m) => m.name ?? '') }));
    },
    async stop() {
      await services.close();
      await sim.stop();
    },
  };
}
