/**
 * The wizard run behind `maas-wizard`, `plan` and `retry STEP`: resolves the profile and the
 * config home, starts the simulated cluster for `--demo` (state under `<home>/demo-state/` so
 * an interrupted demo resumes), builds the services, opens the progress, picks the host (Ink,
 * lines, JSON), runs the engine, and turns Ctrl-C into a cancelled run (exit 130, progress
 * saved). Exit codes: the engine's (0 done, 1 failed step, 2 bad input, 130 interrupted).
 */
import { basename, resolve } from 'node:path';
import { EXIT, UserError, serializeError } from '../engine/errors.js';
import type { Host } from '../engine/host.js';
import { openProgress } from '../engine/progress.js';
import { Engine } from '../engine/run.js';
import type { AnyStep } from '../engine/types.js';
import type { Simulation } from '../sim/types.js';
import { checkAnswersComplete, loadAnswers } from './answers.js';
import type { Answers } from './answers.js';
import { configHome, demoStateDir } from './home.js';
import { chooseHost } from './hosts/choose.js';
import { JsonHost } from './hosts/json.js';
import { LineHost } from './hosts/line.js';
import { createRelay } from './hosts/relay.js';
import { TestHost, loadTestScript } from './hosts/test.js';
import type { CliIo } from './io.js';
import { loadCreateServices, loadStartInkHost, loadStartSimulation, loadSteps } from './lazy.js';
import type { CreateServicesOptions, InkHostHandle, ServicesLike } from './lazy.js';
import { SECRET_FLAGS } from './options.js';
import type { GlobalOptions } from './options.js';
import { UsageError } from './report-error.js';
import { checkScenarios } from './scenarios.js';
import { announceResume, recordedSuggestions, resumeInfo, resumePlan, withSuggestions } from './resume.js';
import type { ResumePlan } from './resume.js';
import { graphLines } from '../ui/graph.js';
import { summaryLines } from './summary.js';
import { wizardVersion } from './version.js';
import { DEMO_HF_TOKEN } from '../sim/hub/auth.js';

/**
 * Default `--demo-speed`: realistic operator durations divided by 10, so a live demo shows real
 * waits (an APIManager takes about a minute) without the real ten minutes.
 */
export const DEFAULT_DEMO_SPEED = 10;

/** Which command runs the wizard: the whole wizard, plan only, or one step again. */
export interface WizardMode {
  mode: 'wizard' | 'plan' | 'retry';
  /** The step of `retry STEP`. */
  step?: string;
}

/**
 * What the run loads lazily, replaceable in tests (steps without a cluster, services stubs).
 * Defaults: steps/index.ts `allSteps()`, src/cluster/services.ts `createServices`.
 */
export interface WizardDeps {
  loadSteps?: (options?: { models?: readonly string[] }) => Promise<AnyStep<unknown>[]>;
  createServices?: (o: CreateServicesOptions) => Promise<ServicesLike>;
}

/**
 * Runs the wizard and returns the exit code.
 * @throws UsageError / UserError (exit 2) for bad flags, answers files, kubeconfig problems and a
 *   locked or newer progress file, before anything is changed; other errors propagate to the
 *   top-level handler.
 */
export async function runWizard(opts: GlobalOptions, io: CliIo, mode: WizardMode, deps: WizardDeps = {}): Promise<number> {
  const choice = chooseHost(io, opts);
  const json = choice.kind === 'json' ? new JsonHost(io.stdout) : undefined;
  try {
    return await runChecked(opts, io, mode, choice, json, deps);
  } catch (err) {
    json?.write({ type: 'error', ...serializeError(err) });
    throw err;
  }
}

/** How to call the wizard again on the same profile, for "next:" hints. */
export function againCommand(opts: GlobalOptions): string {
  const parts = ['maas-wizard'];
  if (opts.demo) parts.push('--demo');
  if (opts.profile) parts.push('--profile', opts.profile);
  if (opts.kubeconfig) parts.push('--kubeconfig', opts.kubeconfig);
  if (opts.context) parts.push('--context', opts.context);
  return parts.join(' ');
}

/** Refuses demo-only flags without --demo (exit 2). */
function checkDemoFlags(opts: GlobalOptions): void {
  const demoOnly: [string, unknown][] = [
    ['--scenario', opts.scenario],
    ['--demo-timing', opts.demoTiming],
    ['--demo-speed', opts.demoSpeed],
  ];
  for (const [flag, value] of demoOnly) {
    if (value !== undefined && !opts.demo) throw new UsageError(`${flag} only applies to the simulated cluster`, `add --demo, or drop ${flag}`);
  }
}

async function runChecked(
  opts: GlobalOptions,
  io: CliIo,
  mode: WizardMode,
  choice: ReturnType<typeof chooseHost>,
  json: JsonHost | undefined,
  deps: WizardDeps,
): Promise<number> {
  checkDemoFlags(opts);
  let scenarios = await checkScenarios(opts.scenario ?? [], '--scenario');
  const cwd = io.cwd ?? process.cwd();
  const load = deps.loadSteps ?? loadSteps;
  let steps = await load();
  const answers: Answers | undefined = opts.answers ? await loadAnswers(resolve(cwd, opts.answers), steps) : undefined;
  // The per-model steps (serving) are made for the models the answers file chooses.
  const models = answers?.['import']?.['models'];
  if (Array.isArray(models)) steps = await load({ models: models.map(String) });
  // An unknown step is refused before any cluster work, unless it is a per-model step (its model
  // may come from the saved profile: checked again once the models are known).
  const family = (id: string): string => id.slice(0, id.lastIndexOf('.') + 1);
  if (mode.step !== undefined && !steps.some((s) => s.id === mode.step || (family(s.id) !== '' && family(s.id) === family(mode.step ?? '')))) {
    throw new UserError('step.unknown', `there is no step "${mode.step}"`, { usage: true, fix: `use one of: ${steps.map((s) => s.id).join(', ')}` });
  }
  const home = configHome(io.env, cwd);
  const notice = (m: string): void => void io.stderr.write(`notice: ${m}\n`);

  const cleanups: (() => Promise<void>)[] = [];
  const controller = new AbortController();
  const offInterrupt = io.onInterrupt?.(() => controller.abort());
  const scripted = io.host ?? testHostFromEnv(io.env);
  try {
    // A demo on a terminal without --scenario starts with the scenario picker (normal run or a failure).
    if (opts.demo && scenarios.length === 0 && choice.kind === 'ink' && !scripted && !opts.yes) {
      const picked = await pickDemoScenario(io, controller.signal);
      if (picked === undefined) return EXIT.interrupted;
      if (picked !== '') scenarios = [picked];
    }
    let sim: Simulation | undefined;
    if (opts.demo) {
      const startSimulation = await loadStartSimulation();
      sim = await startSimulation({
        stateDir: demoStateDir(home),
        timing: opts.demoTiming ?? 'realistic',
        speed: opts.demoSpeed ?? DEFAULT_DEMO_SPEED,
        ...(scenarios.length > 0 ? { scenarios } : {}),
      });
      const running = sim;
      cleanups.push(() => running.stop());
      const with_ = scenarios.length > 0 ? ` with scenario ${scenarios.join(', ')}` : '';
      if (!json) notice(`demo: simulated cluster at ${sim.apiUrl}${with_} (state in ${demoStateDir(home)})`);
    }
    const createServices = deps.createServices ?? (await loadCreateServices());
    const ingressAddress = opts.ingressAddress ?? sim?.ingressAddress;
    const services = await createServices({
      ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(opts.context ? { context: opts.context } : {}),
      ...(sim ? { inlineKubeconfig: sim.kubeconfig() } : {}),
      ...(ingressAddress ? { ingressAddress } : {}),
      env: io.env,
    });
    if (services.close) {
      const close = services.close.bind(services);
      cleanups.push(() => close());
    }
    const progress = await openProgress({
      dir: home,
      profile: opts.profile ?? (opts.demo ? 'demo' : ''),
      server: services.cluster.server,
      wizardVersion: wizardVersion(),
      onNotice: notice,
    });
    cleanups.push(() => progress.close());

    // The models decide the per-model steps: the answers file, else the profile's saved choice,
    // else the picker on a terminal, else the guide's models (src/cli/models.ts).
    if (!Array.isArray(models) && steps.some((s) => s.id === 'import')) {
      const canAsk = !scripted && !opts.yes && choice.interactive && mode.mode === 'wizard';
      const chosen = await modelsForRun(io, progress.inputs('import')?.['models'], canAsk ? choice.kind : undefined, controller.signal);
      if (chosen === undefined) return EXIT.interrupted;
      steps = await load({ models: chosen });
    }
    // Unattended, an answer breaking a step's cross-field rule (a provider without its client id)
    // is refused now, before any step changes the cluster or the progress file.
    if (answers && opts.answers && (opts.yes || !choice.interactive) && !scripted) checkAnswersComplete(answers, steps, basename(opts.answers), (id) => progress.inputs(id));
    if (mode.step !== undefined && !steps.some((s) => s.id === mode.step)) {
      throw new UserError('step.unknown', `there is no step "${mode.step}"`, { usage: true, fix: `use one of: ${steps.map((s) => s.id).join(', ')}` });
    }

    const events = createRelay();
    const stepInfo = steps.map((s) => ({ id: s.id, stage: s.stage, title: s.title, needs: [...s.needs], explain: s.explain }));
    let line: LineHost | undefined;
    let ink: InkHostHandle | undefined;
    let host: Host;
    let repair: ResumePlan = {};
    if (choice.kind === 'ink' && !scripted) {
      const startInkHost = await loadStartInkHost();
      // With --yes nothing is asked, not even the resume screen: it resumes.
      const resume = opts.yes ? undefined : resumeInfo(progress, steps);
      const started = startInkHost({
        engine: events,
        steps: stepInfo,
        header: { cluster: services.cluster.server, user: services.cluster.user ?? '', profile: progress.profile.name },
        stdin: io.stdin as NodeJS.ReadStream,
        stdout: io.stdout as unknown as NodeJS.WriteStream,
        ...(resume ? { resume } : {}),
        onInterrupt: () => controller.abort(),
        explain: opts.explain === true,
      });
      ink = started;
      cleanups.push(async () => started.unmount());
      await started.ready;
      if (started.resumeDecision) {
        const aborted = new Promise<'aborted'>((res) => controller.signal.addEventListener('abort', () => res('aborted'), { once: true }));
        const picked = await Promise.race([started.resumeDecision, aborted]);
        if (picked === 'aborted') return EXIT.interrupted;
        repair = resumePlan(picked, progress, resume);
        if (repair.startOver) progress.forget(Object.keys(progress.all().steps), { inputs: true });
      }
      host = started.host;
    } else if (json) {
      json.attach(events);
      host = json;
    } else {
      line = new LineHost({
        stdout: io.stdout,
        stdin: io.stdin,
        steps: stepInfo,
        interactive: choice.interactive && !opts.yes,
        ...(choice.reason ? { reason: choice.reason } : {}),
      });
      line.attach(events);
      host = line;
      announceResume(progress, notice);
    }

    let runAnswers = answers;
    if (opts.acceptSuggestion) {
      const suggested = recordedSuggestions(progress, mode.mode === 'retry' ? mode.step : undefined);
      runAnswers = withSuggestions(runAnswers, suggested);
      for (const [id, values] of Object.entries(suggested)) {
        notice(`${id}: using the suggested inputs ${Object.entries(values).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
      }
    }
    if (repair.suggestions) runAnswers = withSuggestions(runAnswers, repair.suggestions);
    const engine = new Engine<unknown>({
      steps: steps as AnyStep<unknown>[],
      services,
      host: scripted ?? host,
      progress,
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
      signal: controller.signal,
      ...(runAnswers ? { answers: runAnswers } : {}),
      ...(repair.skip ? { skip: repair.skip } : {}),
      ...(repair.keepInputs ? { keepInputs: repair.keepInputs } : {}),
      secrets: secretsFromFlags(steps, opts),
      ...(opts.yes ? { yes: true } : {}),
      ...(mode.mode === 'retry' && mode.step ? { only: [mode.step] } : {}),
      ...(mode.mode === 'plan' ? { planOnly: true } : {}),
      env: opts.demo ? demoEnv(io.env, notice) : io.env,
    });
    events.source(engine);
    const started = Date.now();
    const result = await engine.run();
    await line?.finished();
    if (ink) {
      ink.unmount();
    }
    if (!json) {
      const lines = summaryLines(result, { command: againCommand(opts), tookMs: Date.now() - started, planOnly: mode.mode === 'plan' });
      if (mode.mode !== 'plan' && steps.some((s) => s.id === 'import')) {
        const { reportRun, showSummaryScreen } = await import('./end-of-run.js');
        const color = Boolean(io.stdout.isTTY) && !io.env['NO_COLOR'];
        const ended = await reportRun({ progress, steps, color, notice });
        lines.unshift(...ended.lines, '');
        if (ink && result.result === 'done' && !opts.yes && !controller.signal.aborted) await showSummaryScreen(ended.report, io, controller.signal);
      }
      if (opts.graph) lines.unshift(...graphLines(steps, { states: result.states, width: io.stdout.columns ?? 80 }), '');
      io.stdout.write(`\n${lines.join('\n')}\n`);
    }
    if (controller.signal.aborted) return EXIT.interrupted;
    return result.exitCode;
  } finally {
    offInterrupt?.();
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => notice(`cleanup failed: ${String(err)}`));
  }
}

/**
 * Secret values given by flags (`--hf-token`), per step and field key, for every secret field
 * whose `flag` is one of SECRET_FLAGS. Never stored; the engine keeps them in memory.
 */
export function secretsFromFlags(steps: readonly AnyStep<unknown>[], opts: GlobalOptions): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const step of steps) {
    for (const field of step.fields) {
      if (field.kind !== 'secret' || !field.flag) continue;
      const known = SECRET_FLAGS.find((s) => s.flag === field.flag);
      const value = known ? opts[known.option] : undefined;
      if (typeof value === 'string' && value !== '') (out[step.id] ??= {})[field.key] = value;
    }
  }
  return out;
}

/**
 * The demo's scenario picker (src/ui/scenario-picker.tsx) on the terminal: the scenario's name,
 * `''` for a normal run, undefined when interrupted.
 */
async function pickDemoScenario(io: CliIo, signal: AbortSignal): Promise<string | undefined> {
  const [{ pickScenario }, { loadScenarios }] = await Promise.all([import('../ui/scenario-picker.js'), import('./lazy.js')]);
  return pickScenario({
    scenarios: await loadScenarios(),
    stdin: io.stdin as NodeJS.ReadStream,
    stdout: io.stdout as unknown as NodeJS.WriteStream,
    env: io.env,
    signal,
  });
}

/**
 * The models of this run (src/cli/models.ts `chooseModels`): the profile's saved choice, else
 * the picker (its own Ink screen, or plain prompts with `--plain`) when `ask` names the host kind,
 * else the guide's models. Undefined when the person quit the picker.
 */
async function modelsForRun(io: CliIo, saved: unknown, ask: 'ink' | 'line' | 'json' | undefined, signal: AbortSignal): Promise<string[] | undefined> {
  const [{ chooseModels, MODEL_PICKER, pickerFields }, { loadCatalog }] = await Promise.all([import('./models.js'), import('../../steps/import/catalog.js')]);
  const catalog = loadCatalog();
  const fields = pickerFields(catalog);
  let askFn: ((values: Record<string, unknown>, errors: Record<string, string>) => Promise<Record<string, unknown> | undefined>) | undefined;
  if (ask === 'ink') {
    const { askModelPicker } = await import('../ui/model-picker.js');
    askFn = (values, errors) => askModelPicker({ step: MODEL_PICKER, fields, values, errors, stdin: io.stdin as NodeJS.ReadStream, stdout: io.stdout as unknown as NodeJS.WriteStream, env: io.env, signal });
  } else if (ask === 'line') {
    const { promptInputs } = await import('./hosts/prompts.js');
    askFn = (values, errors) => promptInputs({ stdin: io.stdin, stdout: io.stdout }, MODEL_PICKER, fields, values, errors, { outputs: () => undefined });
  }
  return chooseModels({ catalog, ...(Array.isArray(saved) ? { saved } : {}), ...(askFn ? { ask: askFn } : {}) });
}

/**
 * The environment of a demo run: the simulated Hub's token as `HF_TOKEN` when none is set, so a
 * demo imports without a Hugging Face account (src/sim/hub/auth.ts `DEMO_HF_TOKEN`).
 */
function demoEnv(env: NodeJS.ProcessEnv, notice: (m: string) => void): NodeJS.ProcessEnv {
  if (env['HF_TOKEN']) return env;
  notice("demo: HF_TOKEN not set; using the simulated Hub's demo token");
  return { ...env, HF_TOKEN: DEMO_HF_TOKEN };
}

/** The test host named by `MAAS_WIZARD_TEST_SCRIPT` (child-process tests), if set. */
function testHostFromEnv(env: NodeJS.ProcessEnv): Host | undefined {
  const file = env['MAAS_WIZARD_TEST_SCRIPT'];
  return file ? new TestHost(loadTestScript(file)) : undefined;
}
