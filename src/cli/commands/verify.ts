/**
 * `maas-wizard verify`: runs only the `verify` step (STAGES.md §10) on the saved profile. The
 * outputs of the earlier steps come from the progress file (the step's `ctx.outputs` falls back to
 * what the file records done); when a step it needs is not recorded done, it stops with exit 2 and
 * one sentence naming it. Prints one line per check (`✓`/`✗ what — expected …, got …`) as the
 * checks happen, or with `--output json` one JSON object `{ ok, checks, keptAccount?, error? }`.
 * Exit codes: 0 every check passed, 1 a check failed (or the step failed), 2 setup not done or bad
 * usage, 130 interrupted.
 */
import { EXIT, UserError, serializeError, userErrorOf } from '../../engine/errors.js';
import { openProgress } from '../../engine/progress.js';
import type { ProgressStore } from '../../engine/progress.js';
import { Engine } from '../../engine/run.js';
import type { AnyStep, DefaultsContext } from '../../engine/types.js';
import { configHome } from '../home.js';
import { UnattendedHost } from '../hosts/unattended.js';
import type { CliIo } from '../io.js';
import type { CreateServicesOptions, ServicesLike } from '../lazy.js';
import type { GlobalOptions } from '../options.js';
import { UsageError } from '../report-error.js';
import { checkScenarios } from '../scenarios.js';
import { connectCluster } from '../connect.js';
import { wizardVersion } from '../version.js';

/** Flags of `maas-wizard verify`. */
export interface VerifyFlags {
  /** `--keep-test-account`: keep the developer account `maas-wizard-check` and its applications. */
  keepTestAccount?: boolean;
}

/** Replaceable parts (tests): the services factory. */
export interface VerifyCommandDeps {
  createServices?: (o: CreateServicesOptions) => Promise<ServicesLike>;
}

/** A check as the verify step returns it (steps/verify/types.ts `VerifyCheck`). */
interface Check {
  what: string;
  expected: string;
  got: string;
  ok: boolean;
  model?: string;
}

/**
 * The verify step with no needs (the engine runs it alone) whose context reads the outputs of
 * earlier steps from the progress file when this run has none for them.
 */
export function withSavedOutputs<S>(step: AnyStep<S>, progress: Pick<ProgressStore, 'stepRecord'>): AnyStep<S> {
  const saved = (id: string): Readonly<Record<string, unknown>> | undefined => {
    const rec = progress.stepRecord(id);
    return rec?.state === 'done' ? rec.outputs : undefined;
  };
  const wrap = <C extends DefaultsContext>(ctx: C): C => {
    const outputs = (id: string): Readonly<Record<string, unknown>> | undefined => ctx.outputs(id) ?? saved(id);
    // The same object keeps the engine's identity (signal, waitFor, log); only `outputs` changes.
    return Object.assign(Object.create(ctx) as C, { outputs });
  };
  return {
    ...step,
    needs: [],
    ...(step.defaults ? { defaults: (ctx: DefaultsContext) => step.defaults?.(wrap(ctx)) ?? {} } : {}),
    plan: (ctx) => step.plan(wrap(ctx)),
    apply: (ctx, plan) => step.apply(wrap(ctx), plan),
    verify: (ctx) => step.verify(wrap(ctx)),
  };
}

/** The steps among `needs` that the progress file does not record done. */
export function notDone(needs: readonly string[], progress: Pick<ProgressStore, 'stepRecord'>): string[] {
  return needs.filter((id) => progress.stepRecord(id)?.state !== 'done');
}

/** Runs `maas-wizard verify`; returns the exit code. Throws UserError/UsageError (exit 2) before anything runs. */
export async function runVerify(flags: VerifyFlags, opts: GlobalOptions, io: CliIo, deps: VerifyCommandDeps = {}): Promise<number> {
  for (const [flag, value] of [['--scenario', opts.scenario], ['--demo-timing', opts.demoTiming], ['--demo-speed', opts.demoSpeed]] as const) {
    if (value !== undefined && !opts.demo) throw new UsageError(`${flag} only applies to the simulated cluster`, `add --demo, or drop ${flag}`);
  }
  const json = opts.output === 'json';
  const scenarios = await checkScenarios(opts.scenario ?? [], '--scenario');
  const home = configHome(io.env, io.cwd);
  const notice = (m: string): void => void io.stderr.write(`notice: ${m}\n`);
  const cleanups: (() => Promise<void>)[] = [];
  const controller = new AbortController();
  const offInterrupt = io.onInterrupt?.(() => controller.abort());
  try {
    const services = await connectCluster(opts, io, home, scenarios, cleanups, deps.createServices);
    const progress = await openProgress({ dir: home, profile: opts.profile ?? (opts.demo ? 'demo' : ''), server: services.cluster.server, wizardVersion: wizardVersion(), onNotice: notice });
    cleanups.push(() => progress.close());

    const { verifyStep } = await import('../../../steps/verify/index.js');
    const { entryFor, guideModels, loadCatalog } = await import('../../../steps/import/catalog.js');
    const catalog = loadCatalog();
    const saved = progress.inputs('import')?.['models'];
    const ids = Array.isArray(saved) && saved.length > 0 ? saved.map(String) : guideModels(catalog);
    const step = verifyStep(ids.map((id) => entryFor(id, catalog)));
    const missing = notDone(step.needs, progress);
    if (missing.length > 0) {
      throw new UserError('verify.not-ready', `the setup is not done: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not recorded done in profile ${progress.profile.name}`, {
        usage: true,
        fix: `finish the setup first (\`maas-wizard${opts.demo ? ' --demo' : ''}\`, or \`maas-wizard retry ${missing[0] ?? ''}\`), then run \`maas-wizard verify\` again`,
      });
    }
    // Run plan → apply → verify once: a recorded `done` would make a failed check count as drift and run the checks twice.
    progress.forget(['verify']);

    const engine = new Engine<unknown>({
      steps: [withSavedOutputs(step as AnyStep<unknown>, progress)],
      services,
      host: new UnattendedHost('maas-wizard verify asks nothing'),
      progress,
      answers: { verify: { keepTestAccount: flags.keepTestAccount === true } },
      yes: true,
      signal: controller.signal,
      env: io.env,
    });
    engine.on((e) => {
      if (json || e.type !== 'log' || e.step !== 'verify') return;
      io.stdout.write(/^[✓✗] /.test(e.message) ? `${e.message}\n` : `  ${e.message}\n`);
    });
    const result = await engine.run();
    if (controller.signal.aborted) return EXIT.interrupted;
    const out = result.outputs['verify'] as { checks?: Check[]; keptAccount?: string } | undefined;
    const failure = userErrorOf(result.error);
    const checks: Check[] = out?.checks ?? ((failure as { checks?: Check[] } | undefined)?.checks ?? []);
    const ok = result.result === 'done';
    if (json) {
      io.stdout.write(`${JSON.stringify({ ok, checks, ...(out?.keptAccount ? { keptAccount: out.keptAccount } : {}), ...(result.firstError ? { error: result.firstError } : {}) })}\n`);
    } else if (ok) {
      io.stdout.write(`\nall ${checks.length} checks passed${out?.keptAccount ? ` (developer account ${out.keptAccount} kept)` : ''}\n`);
    } else {
      const err = result.firstError ?? serializeError(result.error);
      const failed = checks.filter((c) => !c.ok).length;
      io.stdout.write(failed > 0 ? `\n${failed} of ${checks.length} checks failed\n` : `\nerror: ${err.message}\n`);
      if (err.fix) io.stdout.write(`fix: ${err.fix}\n`);
    }
    return ok ? EXIT.ok : result.exitCode;
  } finally {
    offInterrupt?.();
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => notice(`cleanup failed: ${String(err)}`));
  }
}
