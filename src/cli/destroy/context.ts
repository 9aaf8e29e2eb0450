/**
 * The context a teardown runs in (`maas-wizard destroy`): the step's inputs as the progress file
 * saved them (resolved through the step's own schema and defaults, so defaults apply), `outputs(id)`
 * from what the progress file recorded, the cluster services, the wait helper, and the person's
 * decisions about asked items. No secret input: teardowns read what they need from the cluster.
 */
import { BugError } from '../../engine/errors.js';
import { resolveInputs, schemaDefaults } from '../../engine/inputs.js';
import type { AnyStep, DefaultsContext, StepId } from '../../engine/types.js';
import { createWaitFor } from '../../engine/wait.js';
import type { Services } from '../../cluster/services.js';
import type { TeardownContext, TeardownOptions } from '../../../steps/teardown/types.js';

/** What the contexts read the progress from: the locked store, or a file read without the lock (plan). */
export interface ProgressSource {
  inputs(step: StepId): Record<string, unknown> | undefined;
  stepRecord(step: StepId): { state: string; outputs?: Record<string, unknown>; attempts: unknown[] } | undefined;
}

/** What `teardownContext` needs besides the step. */
export interface ContextArgs {
  progress: ProgressSource;
  /** The cluster services; absent while only the plan is built (describe never touches the cluster). */
  services?: Services;
  options: TeardownOptions;
  signal: AbortSignal;
  env: NodeJS.ProcessEnv;
  /** Why an asked item (`<step id>#<item key>`) is kept; undefined when agreed. */
  keptBecause(key: string): string | undefined;
  /** Receives the teardown's log lines and wait notices. */
  log(step: StepId, message: string): void;
}

/** A services bag that refuses use: the plan is built before connecting. */
function noServices(): Services {
  return new Proxy({} as Services, {
    get(_t, prop) {
      throw new BugError(`a teardown's describe touched the cluster (services.${String(prop)}) while the plan was built`);
    },
  });
}

/**
 * The step's non-secret inputs: saved inputs over its defaults, validated by its schema; when the
 * saved values no longer validate (an older wizard), the saved values over the schema defaults.
 * Never asks, never throws for invalid input.
 */
export async function savedInputs(step: AnyStep, progress: ProgressSource, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  const defaultsContext: DefaultsContext = { outputs: (id) => progress.stepRecord(id)?.outputs };
  const saved = progress.inputs(step.id);
  try {
    const resolved = await resolveInputs({ step, defaultsContext, saved, env, askWhenValid: false });
    return resolved.inputs;
  } catch {
    let defaults: Record<string, unknown>;
    try {
      defaults = { ...schemaDefaults(step.inputs), ...(step.defaults?.(defaultsContext) ?? {}) };
    } catch {
      defaults = schemaDefaults(step.inputs);
    }
    return { ...defaults, ...(saved ?? {}) };
  }
}

/**
 * Builds the TeardownContext of `step`.
 * @throws nothing itself; `ask` on the context rejects (a teardown never asks: questions are put before it runs).
 */
export async function teardownContext(step: AnyStep, args: ContextArgs): Promise<TeardownContext> {
  const inputs = await savedInputs(step, args.progress, args.env);
  const services = args.services ?? noServices();
  return {
    stepId: step.id,
    inputs,
    secrets: {},
    services,
    signal: args.signal,
    waitFor: createWaitFor({ signal: args.signal, onWait: (what, currently) => args.log(step.id, `waiting for ${what}: ${currently}`) }),
    progress: () => undefined,
    log: (m) => args.log(step.id, m),
    ask: () => Promise.reject(new BugError(`${step.id}: a teardown asked a question; destroy asks everything before it starts`)),
    unattended: true,
    outputs: (id) => args.progress.stepRecord(id)?.outputs,
    options: args.options,
    inputsOf: (id) => args.progress.inputs(id),
    keptBecause: (key) => args.keptBecause(`${step.id}#${key}`),
  };
}
