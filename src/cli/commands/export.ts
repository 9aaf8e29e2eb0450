/**
 * `maas-wizard export --out DIR [--dry-run]` (issue #9 item 3): every change the setup would
 * make, written to DIR as files a person or a pipeline can review and apply (src/cli/export/).
 * - On a cluster (the current kube context, or `--demo`): the engine's plan mode, nothing
 *   written to the cluster; the steps that need outputs of steps not done there yet are listed
 *   in the README, not guessed.
 * - `--dry-run`: no cluster needed. A throw-away simulated cluster (instant timing, in memory)
 *   is set up step by step with the answers, so every step is planned; the README says so.
 */
import { resolve } from 'node:path';
import { EXIT } from '../../engine/errors.js';
import type { AnyStep } from '../../engine/types.js';
import type { Simulation, SimulationOptions } from '../../sim/types.js';
import { loadAnswers } from '../answers.js';
import type { Answers } from '../answers.js';
import { collectPlans } from '../export/collect.js';
import { exportEntries } from '../export/entries.js';
import { writeExport } from '../export/write.js';
import { configHome, demoStateDir } from '../home.js';
import type { CliIo } from '../io.js';
import { loadCreateServices, loadStartSimulation, loadSteps } from '../lazy.js';
import type { ServicesLike } from '../lazy.js';
import type { GlobalOptions } from '../options.js';
import { UsageError } from '../report-error.js';
import { secretsFromFlags } from '../run.js';
import { DEMO_HF_TOKEN } from '../../sim/hub/auth.js';

/** Options of `maas-wizard export`. */
export interface ExportFlags {
  /** Directory to write (created when absent; an earlier export there is replaced). */
  out: string;
  /** Plan on a throw-away simulated cluster instead of a real one. */
  dryRun?: boolean;
}

/** Replaceable parts, for tests: the simulation starter (default: src/cli/lazy.ts `loadStartSimulation`). */
export interface ExportDeps {
  startSimulation?: (o: SimulationOptions) => Promise<Simulation>;
}

/**
 * Runs the export and returns the exit code: 0 written, 1 a step failed to plan (what was
 * planned is still written, the failure is in the README), 130 interrupted.
 * @throws UsageError (exit 2) for `--dry-run` with cluster flags and an --out directory holding
 *   other files; AnswersError (exit 2) for a bad answers file; connection errors propagate.
 */
export async function runExport(flags: ExportFlags, opts: GlobalOptions, io: CliIo, deps: ExportDeps = {}): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  if (flags.dryRun) {
    const clusterFlag = opts.demo ? '--demo' : opts.kubeconfig ? '--kubeconfig' : opts.context ? '--context' : undefined;
    if (clusterFlag) throw new UsageError(`--dry-run plans on its own simulated cluster; ${clusterFlag} does not apply`, `drop ${clusterFlag}, or drop --dry-run to plan on that cluster`);
  }
  let steps = await loadSteps();
  const answers: Answers | undefined = opts.answers ? await loadAnswers(resolve(cwd, opts.answers), steps) : undefined;
  const models = answers?.['import']?.['models'];
  if (Array.isArray(models)) steps = await loadSteps({ models: models.map(String) });

  const controller = new AbortController();
  const offInterrupt = io.onInterrupt?.(() => controller.abort());
  const cleanups: (() => Promise<void>)[] = [];
  const notice = (m: string): void => void io.stderr.write(`notice: ${m}\n`);
  try {
    const startSimulation = flags.dryRun || opts.demo ? (deps.startSimulation ?? (await loadStartSimulation())) : undefined;
    let sim: Simulation | undefined;
    if (startSimulation && flags.dryRun) {
      sim = await startSimulation({ timing: 'instant' });
      notice(`dry run: planning on a throw-away simulated cluster (${sim.domain}), set up step by step; your cluster is not contacted`);
    } else if (startSimulation) {
      const home = configHome(io.env, cwd);
      sim = await startSimulation({ stateDir: demoStateDir(home), timing: opts.demoTiming ?? 'instant', ...(opts.demoSpeed ? { speed: opts.demoSpeed } : {}) });
    }
    if (sim) {
      const running = sim;
      cleanups.push(() => running.stop());
    }
    const createServices = await loadCreateServices();
    const ingressAddress = opts.ingressAddress ?? sim?.ingressAddress;
    const services: ServicesLike = await createServices({
      ...(!flags.dryRun && opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
      ...(!flags.dryRun && opts.context ? { context: opts.context } : {}),
      ...(sim ? { inlineKubeconfig: sim.kubeconfig() } : {}),
      ...(ingressAddress ? { ingressAddress } : {}),
      env: io.env,
    });
    if (services.close) {
      const close = services.close.bind(services);
      cleanups.push(() => close());
    }
    // The simulated Hub takes only its demo token; a real token is never sent to a simulation.
    const env = sim ? { ...io.env, HF_TOKEN: DEMO_HF_TOKEN } : io.env;
    const collected = await collectPlans<unknown>({
      steps: steps as AnyStep<unknown>[],
      services,
      forward: Boolean(flags.dryRun),
      env,
      signal: controller.signal,
      ...(answers ? { answers } : {}),
      ...(sim ? {} : { secrets: secretsFromFlags(steps, opts) }),
      ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    });
    if (controller.signal.aborted) return EXIT.interrupted;
    const entries = exportEntries(collected.planned);
    const dir = resolve(cwd, flags.out);
    const written = await writeExport(dir, entries, collected.unplanned, {
      kind: flags.dryRun ? 'dry-run' : 'cluster',
      server: services.cluster.server,
      ...(sim ? { domain: sim.domain } : {}),
      at: new Date().toISOString(),
      ...(opts.answers ? { answersFile: opts.answers } : {}),
    }, collected.inputs);
    const count = (k: string): number => entries.filter((e) => e.kind === k).length;
    io.stdout.write(
      `wrote ${written.files.length} files to ${dir}: ${count('manifest')} manifests, ${count('call')} API calls, ${count('secret')} Secrets to create by hand` +
        `${count('delete') ? `, ${count('delete')} objects to delete` : ''}; the order is in README.md\n`,
    );
    const failed = collected.unplanned.filter((u) => u.state === 'failed');
    for (const u of collected.unplanned) io.stdout.write(`not exported: ${u.step}: ${u.reason}\n`);
    return failed.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    offInterrupt?.();
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => notice(`cleanup failed: ${String(err)}`));
  }
}
