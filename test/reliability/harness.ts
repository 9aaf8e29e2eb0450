/**
 * Whole wizard runs for the reliability tests: a simulated cluster the test starts itself (every
 * backend, instant timing, in memory, the backends kept so their state can be dumped), the wizard
 * run in-process through `main()` (real steps, real adapters) with `--kubeconfig FILE --yes`, and
 * the canonical state dump (src/sim/state-dump.ts) to compare runs.
 *
 * The fault profile (`FAULT_ANSWERS`, `FAULT_FLAGS`): concurrency 1 so write number N is the same
 * write in every run; the import from this machine (`import.method: local`), so the wizard itself
 * makes the S3 writes; one model (Mistral-7B-Instruct: a gated chat model served by vLLM from the
 * OpenShift AI template) instead of the guide's three, since every write index costs two whole
 * runs: one model still makes every kind of write (S3 objects, ServingRuntime, InferenceService,
 * backend, product, methods, mapping rules, ActiveDocs, plan, policies, limits, deploy, promote,
 * the verify step's account and application); a second model repeats the same writes. Everything
 * else is the demo's default answers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { defaultBackends } from '../../src/sim/backends.js';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { createS3 } from '../../src/sim/s3/index.js';
import type { SimS3 } from '../../src/sim/s3/index.js';
import { startSimulation } from '../../src/sim/index.js';
import type { RunningSimulation } from '../../src/sim/index.js';
import { simFaults } from '../../src/sim/kube/faults.js';
import type { FaultMode, SimFaultInjector } from '../../src/sim/kube/faults.js';
import type { SimBackends } from '../../src/sim/operators/index.js';
import { dumpState } from '../../src/sim/state-dump.js';
import { duplicatesIn } from './compare.js';
import type { StateDump } from '../../src/sim/state-dump.js';
import { runCli, tempDir } from '../cli/helpers.js';
import type { RunOutcome } from '../cli/helpers.js';

/** Answers of the fault profile (see the module comment). */
export const FAULT_ANSWERS = {
  import: { method: 'local', models: ['mistralai/Mistral-7B-Instruct-v0.3'] },
  // A limit the end-to-end check does not burst (above its 100 requests): the limit is still
  // written, but the burst's 429 check is flaky across a minute boundary (findings.test.ts F1).
  'policies.mistral-7b-instruct': { rateLimitPerMinute: 1000 },
};

/** Flags of the fault profile's runs (after `--kubeconfig FILE --profile P --yes`). */
export const FAULT_FLAGS = ['--concurrency', '1', '--answers', 'answers.yaml'];

/** One write as the injector counted it. */
export interface CountedWrite {
  index: number;
  service: string;
  method: string;
  path: string;
}

/** A simulation the test controls, its backends, a home for the wizard and a run function. */
export interface TestCluster {
  sim: RunningSimulation;
  faults: SimFaultInjector;
  backends: SimBackends;
  home: string;
  kubeconfig: string;
  /** Writes counted so far, in order. */
  writes: CountedWrite[];
  /** Runs `maas-wizard --kubeconfig FILE --profile rel --yes ...flags` in-process (no TTY); `env` is added to HF_TOKEN. */
  wizard(flags: string[], env?: NodeJS.ProcessEnv): Promise<RunOutcome>;
  dump(): Promise<StateDump>;
  stop(): Promise<void>;
}

/** Options of `startTestCluster`. */
export interface TestClusterOptions {
  /** Step inputs merged into the fault profile's answers, per step id. */
  extraAnswers?: Record<string, Record<string, unknown>>;
  /** Write the simulation's request log (src/sim/kube/record.ts) to `<home>/requests.jsonl`. */
  record?: boolean;
  /** Credentials the simulated S3 hands out (in the OBC Secret) instead of generated ones. */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
  /** The answers file's content replaces the fault profile's instead of extending it. */
  replaceAnswers?: boolean;
}

/**
 * Starts a simulation with every backend on instant timing and writes its kubeconfig and the fault
 * profile's answers (`answers.yaml`, plus `extraAnswers` merged per step) into a fresh home.
 * @throws when the simulation's injector is not the simulation's own (`simFaults` undefined).
 */
export async function startTestCluster(options: TestClusterOptions = {}): Promise<TestCluster> {
  let backends: SimBackends = {};
  const make = defaultBackends();
  const home = tempDir('maas-rel-');
  const sim = await startSimulation({
    timing: 'instant',
    ...(options.record ? { recordFile: join(home, 'requests.jsonl') } : {}),
    backends: async (env) => {
      backends = await make(env);
      if (options.s3Credentials) {
        await (backends.s3 as SimS3 | undefined)?.close();
        backends.s3 = await createS3({ ...options.s3Credentials, endpointHosts: env.bucketHosts });
      }
      return backends;
    },
  });
  const faults = simFaults(sim.faults);
  if (!faults) throw new Error('the simulation has no SimFaultInjector');
  const writes: CountedWrite[] = [];
  faults.onWrite((w) => writes.push(w));
  const kubeconfig = join(home, 'kubeconfig.yaml');
  writeFileSync(kubeconfig, stringify(sim.kubeconfig()), { mode: 0o600 });
  const answers: Record<string, Record<string, unknown>> = options.replaceAnswers ? {} : { ...FAULT_ANSWERS };
  for (const [step, values] of Object.entries(options.extraAnswers ?? {})) answers[step] = { ...answers[step], ...values };
  writeFileSync(join(home, 'answers.yaml'), stringify(answers));
  return {
    sim,
    faults,
    backends,
    home,
    kubeconfig,
    writes,
    wizard: (flags, env = {}) =>
      runCli(['--kubeconfig', kubeconfig, '--profile', 'rel', '--yes', ...flags], { home, input: '', env: { HF_TOKEN: DEMO_HF_TOKEN, ...env } }),
    dump: () => dumpState({ store: sim.store, kinds: sim.kinds, keycloak: backends.keycloak as { snapshot(): unknown } | undefined, threescale: backends.threescale as { state: { tenant: unknown } } | undefined, s3: backends.s3 }),
    stop: () => sim.stop(),
  };
}

/** What a clean run of the fault profile leaves: its writes, in order, and the dump. */
export interface Baseline {
  writes: CountedWrite[];
  dump: StateDump;
  /** Milliseconds the run took (for the budget note printed by the tests). */
  tookMs: number;
}

/**
 * A clean run of the fault profile from scratch.
 * @throws when the run does not exit 0 or leaves duplicates (the harness would compare against a broken baseline).
 */
export async function cleanBaseline(): Promise<Baseline> {
  const c = await startTestCluster();
  try {
    const started = Date.now();
    const r = await c.wizard(FAULT_FLAGS);
    const tookMs = Date.now() - started;
    if (r.code !== 0) throw new Error(`the clean run exited ${r.code}:\n${r.stdout.text.slice(-3000)}\n${r.stderr.text.slice(-2000)}`);
    const dump = await c.dump();
    const dups = duplicatesIn(dump);
    if (dups.length > 0) throw new Error(`the clean run left duplicates: ${dups.join('; ')}`);
    return { writes: [...c.writes], dump, tookMs };
  } finally {
    await c.stop();
  }
}

/** What happened to one faulted run and its resume. */
export interface FaultOutcome {
  /** The write that was failed (as counted in the faulted run), undefined when the run made fewer writes. */
  faulted: CountedWrite | undefined;
  /** Exit codes: the faulted run, then the resume (absent when the faulted run succeeded by retrying). */
  codes: number[];
  dump: StateDump;
  /** Output of the last run, for assertion messages. */
  output: string;
}

/**
 * From scratch: fails write `index` with `mode`, lets the wizard fail or retry; when it failed,
 * runs it again with no fault (the resume). Returns the exit codes and the final dump.
 */
export async function faultedRun(index: number, mode: FaultMode): Promise<FaultOutcome> {
  const c = await startTestCluster();
  try {
    c.faults.failWriteAt(index, mode);
    const first = await c.wizard(FAULT_FLAGS);
    const faulted = c.writes.find((w) => w.index === index);
    c.faults.clear();
    const codes = [first.code];
    let last = first;
    if (first.code !== 0) {
      last = await c.wizard(FAULT_FLAGS);
      codes.push(last.code);
    }
    const output = `--- faulted run (exit ${first.code}), end:\n${first.stdout.text.slice(-1500)}\n${first.stderr.text.slice(-800)}\n--- last run (exit ${last.code}), end:\n${last.stdout.text.slice(-1500)}\n${last.stderr.text.slice(-800)}`;
    return { faulted, codes, dump: await c.dump(), output };
  } finally {
    await c.stop();
  }
}

/** `METHOD service path` of a write, for test names and messages. */
export function describeWrite(w: CountedWrite | undefined): string {
  return w ? `${w.method} ${w.service} ${w.path.replace(/\?.*$/, '')}` : '(not reached)';
}
