/**
 * Lazy loaders of the heavy parts (steps and cluster adapters with @kubernetes/client-node,
 * the simulation, the Ink screens), so `--help` and `--version` load none of them. Each is
 * imported with `await import()` only inside a command's action. The shapes are the agreed
 * contracts (ARCHITECTURE.md, the engineers' briefs), typed here loosely so this file compiles
 * whether or not those modules have landed yet.
 */
import { BugError } from '../engine/errors.js';
import type { AnyStep } from '../engine/types.js';
import type { Simulation, SimulationOptions } from '../sim/types.js';
// Type-only (nothing loaded at run time): for the contract checks at the end of this file.
import type { createServices } from '../cluster/services.js';
import type { InkHostHandle, InkHostOptions, startInkHost } from '../ui/ink-host.js';
import type { runSimCommand } from '../sim/cli.js';
import type { startSimulation } from '../sim/index.js';
import type { defaultBackends } from '../sim/backends.js';
import type { allSteps } from '../../steps/index.js';

/** What the CLI uses of the services bag (src/cluster/services.ts `Services`). */
export interface ServicesLike {
  cluster: { server: string; context: string; user?: string };
  /** Closes the HTTP layer's connections. */
  close?(): Promise<void>;
}

/** Options of `createServices` (src/cluster/services.ts). */
export interface CreateServicesOptions {
  kubeconfig?: string;
  context?: string;
  /** A kubeconfig as an object (the simulation's `kubeconfig()`); wins over files. */
  inlineKubeconfig?: object;
  ingressAddress?: string;
  env?: NodeJS.ProcessEnv;
}

/** Options and result of `startInkHost` (src/ui/ink-host.ts); type-only, nothing loaded at run time. */
export type { InkHostHandle, InkHostOptions } from '../ui/ink-host.js';

async function load<T>(specifier: string, what: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes(specifier.replace(/^(\.\.\/)+/, ''))) {
      throw new BugError(`${what} is not part of this build yet (${specifier} missing)`, { cause: err });
    }
    throw err;
  }
}

/** Every step of the wizard (steps/index.ts `allSteps()`); `models` fixes the per-model steps (repo ids). */
export async function loadSteps(options: { models?: readonly string[] } = {}): Promise<AnyStep<unknown>[]> {
  const mod = await load<{ allSteps(o?: { models?: readonly string[] }): AnyStep<unknown>[] }>('../../steps/index.js', 'the steps');
  return mod.allSteps(options);
}

/** `createServices` of src/cluster/services.ts. */
export async function loadCreateServices(): Promise<(o: CreateServicesOptions) => Promise<ServicesLike>> {
  const mod = await load<{ createServices(o: CreateServicesOptions): Promise<ServicesLike> }>('../cluster/services.js', 'the cluster adapters');
  return mod.createServices;
}

/**
 * `startSimulation` of src/sim/index.ts with every service behind the routes (Keycloak, 3scale,
 * S3, the Hub stand-in, model servers: src/sim/backends.ts `defaultBackends()`), as `--demo` needs.
 */
export async function loadStartSimulation(): Promise<(o: SimulationOptions) => Promise<Simulation>> {
  const mod = await load<{ startSimulation(o: SimulationOptions & { backends?: unknown }): Promise<Simulation> }>('../sim/index.js', 'the simulated cluster');
  const backends = await load<{ defaultBackends(): unknown }>('../sim/backends.js', 'the simulated services');
  return (o) => mod.startSimulation({ backends: backends.defaultBackends(), ...o });
}

/** `runSimCommand` of src/sim/cli.ts. */
export async function loadRunSimCommand(): Promise<
  (options: Record<string, unknown>, io: { stdout: NodeJS.WritableStream; signal: AbortSignal }) => Promise<void>
> {
  const mod = await load<{ runSimCommand(o: Record<string, unknown>, io: { stdout: NodeJS.WritableStream; signal: AbortSignal }): Promise<void> }>(
    '../sim/cli.js',
    'the simulated cluster',
  );
  return mod.runSimCommand;
}

/** `startInkHost` of src/ui/ink-host.ts. */
export async function loadStartInkHost(): Promise<(o: InkHostOptions) => InkHostHandle> {
  const mod = await load<{ startInkHost(o: InkHostOptions): InkHostHandle }>('../ui/ink-host.js', 'the full-screen wizard');
  return mod.startInkHost;
}

/** A scenario of the simulation: name and one-line description. */
export interface ScenarioInfo {
  name: string;
  description: string;
}

/**
 * The simulation's failure scenarios (src/sim/scenarios.ts exports the list with a one-line
 * description each). Accepts an exported array of `{name, description}`, an array of names,
 * or a record name → description / `{description}`.
 */
export async function loadScenarios(): Promise<ScenarioInfo[]> {
  const mod = await load<Record<string, unknown>>('../sim/scenarios.js', 'the simulated cluster');
  for (const value of Object.values(mod)) {
    const list = scenarioList(value);
    if (list) return list;
  }
  throw new BugError('src/sim/scenarios.ts exports no list of scenarios');
}

function scenarioList(value: unknown): ScenarioInfo[] | undefined {
  if (Array.isArray(value) && value.length > 0) {
    if (value.every((v) => typeof v === 'string')) return value.map((name: string) => ({ name, description: '' }));
    if (value.every((v) => v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string')) {
      return value.map((v: { name: string; description?: unknown; summary?: unknown }) => ({
        name: v.name,
        description: String(v.description ?? v.summary ?? ''),
      }));
    }
    return undefined;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value !== 'function') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length > 0 && entries.every(([, v]) => typeof v === 'string' || (v && typeof v === 'object' && 'description' in v))) {
      return entries.map(([name, v]) => ({ name, description: typeof v === 'string' ? v : String((v as { description: unknown }).description) }));
    }
  }
  return undefined;
}

// Compile-time checks that the loose shapes above match the modules as they are now
// (type-only imports: nothing is loaded at run time).

type Assert<T extends true> = T;
/** Fails to compile when a lazily loaded module no longer matches the shape the CLI calls it with. */
export type _ContractChecks = [
  Assert<typeof createServices extends (o: CreateServicesOptions) => Promise<ServicesLike> ? true : false>,
  Assert<typeof startInkHost extends (o: InkHostOptions) => InkHostHandle ? true : false>,
  Assert<typeof runSimCommand extends (o: Record<string, unknown>, io: { stdout: NodeJS.WritableStream; signal: AbortSignal }) => Promise<void> ? true : false>,
  Assert<typeof startSimulation extends (o: SimulationOptions & { backends: ReturnType<typeof defaultBackends> }) => Promise<Simulation> ? true : false>,
  Assert<ReturnType<typeof allSteps> extends AnyStep<never>[] ? true : false>,
];
