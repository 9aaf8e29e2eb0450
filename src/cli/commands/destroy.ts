/**
 * `maas-wizard destroy [--step STEP] [--yes] [--delete-data] [--delete-namespaces]` (issue #9
 * item 4): tears down what the wizard set up, dependants first (src/cli/destroy/plan.ts), after
 * showing the plan and a confirmation (a terminal) or `--yes`. Without a terminal and without
 * `--yes` it prints the plan and refuses (exit 2).
 *
 * Asked items: the operators' Subscription/CSV/OperatorGroup (asked on a terminal, agreed by
 * `--yes`) and the namespaces (asked on a terminal, or `--delete-namespaces`; `--yes` alone keeps
 * them). The bucket (ObjectBucketClaim) and the model files go only with `--delete-data`.
 *
 * Prints one line per step and a summary. Exit codes: 0 torn down (kept items included), 1 a
 * deletion failed (the next `destroy` resumes there) or the person said no, 2 usage, 130 interrupted.
 */
import { confirm } from '@inquirer/prompts';
import { EXIT, UserError } from '../../engine/errors.js';
import { openProgress } from '../../engine/progress.js';
import type { AnyStep } from '../../engine/types.js';
import type { Services } from '../../cluster/services.js';
import type { TeardownOptions } from '../../../steps/teardown/index.js';
import { teardownContext } from '../destroy/context.js';
import type { ProgressSource } from '../destroy/context.js';
import { formatPlan, planEntry, selectSteps } from '../destroy/plan.js';
import type { PlanEntry } from '../destroy/plan.js';
import { resultLine, runTeardown } from '../destroy/run.js';
import { configHome } from '../home.js';
import { hasTty, promptOutput } from '../io.js';
import type { CliIo } from '../io.js';
import { loadSteps } from '../lazy.js';
import type { CreateServicesOptions, ServicesLike } from '../lazy.js';
import type { GlobalOptions } from '../options.js';
import { progressFile, readProgress, resolveProfile } from '../profile.js';
import { UsageError } from '../report-error.js';
import { checkScenarios } from '../scenarios.js';
import { connectCluster } from '../connect.js';
import { wizardVersion } from '../version.js';

/** Flags of `maas-wizard destroy`. */
export interface DestroyFlags {
  /** `--step STEP`: that step and every step that needs it. */
  step?: string;
  /** `--delete-data`: the model files and the ObjectBucketClaim (the bucket) too. */
  deleteData?: boolean;
  /** `--delete-namespaces`: delete the namespaces without asking. */
  deleteNamespaces?: boolean;
}

/** Replaceable parts (tests): the services factory. */
export interface DestroyCommandDeps {
  createServices?: (o: CreateServicesOptions) => Promise<ServicesLike>;
}

const NAMESPACE_KEPT = 'namespaces are deleted only when asked on a terminal or with --delete-namespaces';

/** The steps of the saved run: the graph built for the models the import step saved. */
async function stepsFor(saved: Record<string, unknown> | undefined): Promise<AnyStep[]> {
  const models = saved?.['models'];
  return (await loadSteps(Array.isArray(models) && models.length > 0 ? { models: models.map(String) } : {})) as AnyStep[];
}

/** Asks (or decides from the flags) every asked item; returns why each declined item is kept. */
async function decide(entries: readonly PlanEntry[], flags: DestroyFlags, opts: GlobalOptions, io: CliIo): Promise<Map<string, string>> {
  const kept = new Map<string, string>();
  const tty = hasTty(io) && !opts.yes;
  for (const e of entries) {
    for (const item of e.items) {
      if (!item.ask || item.keep) continue;
      const key = `${e.step.id}#${item.key}`;
      if (item.ask === 'namespace' && flags.deleteNamespaces) continue;
      if (item.ask === 'operator' && opts.yes) continue;
      if (!tty) {
        kept.set(key, item.ask === 'namespace' ? NAMESPACE_KEPT : 'not agreed');
        continue;
      }
      const ok = await confirm({ message: `Delete ${item.what}?`, default: false }, { input: io.stdin, output: promptOutput(io.stdout) });
      if (!ok) kept.set(key, 'you chose to keep it');
    }
  }
  return kept;
}

/** Runs `maas-wizard destroy`; returns the exit code. @throws UserError/UsageError (exit 2) before anything is deleted. */
export async function runDestroy(flags: DestroyFlags, opts: GlobalOptions, io: CliIo, deps: DestroyCommandDeps = {}): Promise<number> {
  for (const [flag, value] of [['--scenario', opts.scenario], ['--demo-timing', opts.demoTiming], ['--demo-speed', opts.demoSpeed]] as const) {
    if (value !== undefined && !opts.demo) throw new UsageError(`${flag} only applies to the simulated cluster`, `add --demo, or drop ${flag}`);
  }
  const scenarios = await checkScenarios(opts.scenario ?? [], '--scenario');
  const home = configHome(io.env, io.cwd);
  const ref = await resolveProfile(opts, io);
  const file = progressFile(home, ref);
  const data = readProgress(file);
  const options: TeardownOptions = { deleteData: flags.deleteData === true };
  const controller = new AbortController();
  const command = `maas-wizard${opts.demo ? ' --demo' : ''} destroy`;

  // The plan, from the file read without the lock and without the cluster.
  const fileSource: ProgressSource = { inputs: (id) => data?.inputs[id], stepRecord: (id) => data?.steps[id] };
  const graph = await stepsFor(data?.inputs['import']);
  const selection = selectSteps(graph, fileSource, flags.step);
  const noDecision = (): undefined => undefined;
  const describeCtx = (step: AnyStep) => teardownContext(step, { progress: fileSource, options, signal: controller.signal, env: io.env, keptBecause: noDecision, log: () => undefined });
  const entries: PlanEntry[] = [];
  for (const step of selection.steps) entries.push(planEntry(step, await describeCtx(step)));
  if (entries.length === 0) {
    io.stdout.write(`nothing to tear down: no step${flags.step ? ` of ${flags.step} and its dependants` : ''} is recorded in ${file}\n`);
    return EXIT.ok;
  }
  const header = `${command}: ${entries.length} step${entries.length === 1 ? '' : 's'} of profile ${ref.profile || file}, dependants first${options.deleteData ? ' (with --delete-data)' : ''}:`;
  io.stdout.write(formatPlan(entries, header));
  if (!opts.yes) {
    if (!hasTty(io)) {
      throw new UserError('destroy.needs-confirmation', 'destroy deletes what is listed above and asks first, but stdin or stdout is not a terminal', {
        usage: true,
        fix: `add --yes to confirm: ${command}${flags.step ? ` --step ${flags.step}` : ''} --yes${options.deleteData ? ' --delete-data' : ''}`,
      });
    }
    const ok = await confirm({ message: `Tear down these ${entries.length} steps?`, default: false }, { input: io.stdin, output: promptOutput(io.stdout) });
    if (!ok) {
      io.stdout.write('nothing was deleted\n');
      return EXIT.failed;
    }
  }
  const kept = await decide(entries, flags, opts, io);

  const cleanups: (() => Promise<void>)[] = [];
  const notice = (m: string): void => void io.stderr.write(`notice: ${m}\n`);
  const offInterrupt = io.onInterrupt?.(() => controller.abort());
  try {
    const services = await connectCluster(opts, io, home, scenarios, cleanups, deps.createServices);
    const progress = await openProgress({ dir: home, profile: ref.profile, ...(ref.server ? { server: ref.server } : {}), wizardVersion: wizardVersion(), onNotice: notice });
    cleanups.push(() => progress.close());
    if (selection.neverRan.length > 0) progress.forget(selection.neverRan);

    const results = await runTeardown({
      entries,
      graph,
      contextOf: (e) =>
        teardownContext(e.step, {
          progress,
          services: services as unknown as Services,
          options,
          signal: controller.signal,
          env: io.env,
          keptBecause: (key) => kept.get(key),
          log: (step, m) => void io.stderr.write(`  ${step}: ${m}\n`),
        }),
      forget: (ids) => progress.forget(ids),
      signal: controller.signal,
      onResult: (r) => void io.stdout.write(`${resultLine(r, entries.find((e) => e.step.id === r.step)?.note)}\n`),
    });
    const count = (k: string): number => results.filter((r) => r.result === k).length;
    const failed = results.filter((r) => r.result === 'failed').map((r) => r.step);
    const keptItems = results.flatMap((r) => r.outcomes).filter((o) => o.result === 'kept').length;
    const summary = [`torn down ${count('done')} of ${results.length} steps`];
    if (keptItems > 0) summary.push(`${keptItems} item${keptItems === 1 ? '' : 's'} kept (see above)`);
    if (failed.length > 0) summary.push(`failed: ${failed.join(', ')}`);
    if (count('skipped') + count('interrupted') > 0) summary.push(`${count('skipped') + count('interrupted')} still recorded`);
    io.stdout.write(`\n${summary.join('; ')}${failed.length > 0 || count('interrupted') > 0 ? `; run \`${command}\` again to resume` : ''}\n`);
    if (controller.signal.aborted) return EXIT.interrupted;
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    offInterrupt?.();
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => notice(`cleanup failed: ${String(err)}`));
  }
}
