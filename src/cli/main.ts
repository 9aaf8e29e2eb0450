/**
 * The entry of `maas-wizard` (bin/maas-wizard.js imports dist/src/cli/main.js): argv → command.
 * The only exit site of the program. `--version` and `--help` load nothing but commander:
 * every command's work is behind a lazy `await import()` (Ink, React, @kubernetes/client-node
 * and the simulation are never loaded to print help).
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { EXIT } from '../engine/errors.js';
import { processIo } from './io.js';
import type { CliIo } from './io.js';
import { addGlobalOptions, integerAtLeast, positiveNumber } from './options.js';
import type { GlobalOptions } from './options.js';
import { reportError } from './report-error.js';
import { wizardVersion } from './version.js';

/** What an action needs besides its own arguments. */
interface ActionContext {
  io: CliIo;
  /** The usage line of the running command, for usage errors. */
  setUsage(usage: string): void;
}

/**
 * Builds the commander program. Every action stores its exit code in `result.code`.
 * Output goes to `io.stdout` / `io.stderr`; errors are thrown (exitOverride), never `process.exit`.
 */
export function buildProgram(io: CliIo, result: { code: number; usage?: string }): Command {
  const program = new Command('maas-wizard');
  const ctx: ActionContext = { io, setUsage: (u) => (result.usage = u) };
  program
    .description('Set up Models-as-a-Service on OpenShift: OpenShift AI serving, Red Hat SSO, 3scale')
    .version(wizardVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for the command')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void io.stdout.write(s),
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => write(s),
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
    })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .allowExcessArguments(false);
  addGlobalOptions(program);
  program.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  maas-wizard --demo                      the wizard on the built-in simulated cluster',
      '  maas-wizard --answers ci.yaml --yes     unattended, inputs from a file',
      '  maas-wizard status --output json        every step, for scripts',
      '',
      'Environment: KUBECONFIG, CI=true (no questions), NO_COLOR, HF_TOKEN, MAAS_WIZARD_HOME (where progress is kept).',
      'Exit codes: 0 done, 1 a step failed, 2 bad usage or input, 130 interrupted (progress saved).',
    ].join('\n'),
  );

  const globals = (cmd: Command): GlobalOptions => cmd.optsWithGlobals<GlobalOptions>();
  const usageOf = (cmd: Command): string => `${cmd.parent ? `maas-wizard ${cmd.name()}` : 'maas-wizard'} ${cmd.usage()}`;

  program.action(async (_opts, cmd: Command) => {
    ctx.setUsage(usageOf(cmd));
    const { runWizard } = await import('./run.js');
    result.code = await runWizard(globals(cmd), io, { mode: 'wizard' });
  });

  program
    .command('plan')
    .description('show what every step would create or change, without changing anything')
    .action(async (_opts, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runWizard } = await import('./run.js');
      result.code = await runWizard(globals(cmd), io, { mode: 'plan' });
    });

  program
    .command('status')
    .description('show each step: state, when it ran, how long it took, outputs and last error (progress file only, no cluster needed); --output json for every detail')
    .action(async (_opts, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runStatus } = await import('./commands/status.js');
      result.code = await runStatus(globals(cmd), io);
    });

  program
    .command('retry')
    .description('run STEP again (and the steps it needs that are not done)')
    .argument('<step>', 'step id, as `maas-wizard status` lists it')
    .action(async (step: string, _opts, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runWizard } = await import('./run.js');
      result.code = await runWizard(globals(cmd), io, { mode: 'retry', step });
    });

  program
    .command('reset')
    .description('forget STEP and every step that needs it, after confirmation (cluster objects are not deleted)')
    .argument('<step>', 'step id, as `maas-wizard status` lists it')
    .action(async (step: string, _opts, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runReset } = await import('./commands/reset.js');
      result.code = await runReset(step, globals(cmd), io);
    });

  program
    .command('export')
    .description('write every change of the setup to DIR: manifests (YAML, in apply order, with a kustomization), API calls (JSON) and a README; --dry-run needs no cluster')
    .requiredOption('--out <dir>', 'directory to write (new, empty, or an earlier export)')
    .option('--dry-run', 'plan on a throw-away simulated cluster set up step by step, not on a real one')
    .action(async (opts: { out: string; dryRun?: boolean }, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runExport } = await import('./commands/export.js');
      result.code = await runExport(opts, globals(cmd), io);
    });

  program
    .command('answers')
    .description('print an example answers file (--example: every input, its default and meaning) or its JSON Schema (--schema)')
    .option('--example', 'the commented example answers file')
    .option('--schema', 'the JSON Schema of answers files, for editor completion')
    .option('--out <file>', 'write to FILE instead of stdout')
    .action(async (opts: { example?: boolean; schema?: boolean; out?: string }, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runAnswers } = await import('./commands/answers.js');
      result.code = await runAnswers(opts, globals(cmd), io);
    });

  program
    .command('verify')
    .description('run the end-to-end check again on the saved setup: one line per check (--keep-test-account keeps the developer account maas-wizard-check)')
    .option('--keep-test-account', 'keep the throwaway developer account and its applications after the check')
    .action(async (opts: { keepTestAccount?: boolean }, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runVerify } = await import('./commands/verify.js');
      result.code = await runVerify(opts, globals(cmd), io);
    });

  program
    .command('destroy')
    .description('tear down what the wizard set up, dependants first, after showing the plan (--yes confirms; operators asked, namespaces only when asked or --delete-namespaces; the bucket only with --delete-data)')
    .option('--step <step>', 'tear down only STEP and every step that needs it')
    .option('--delete-data', 'also delete the model files in the bucket and the ObjectBucketClaim (which deletes the bucket)')
    .option('--delete-namespaces', 'delete the namespaces (project, rh-sso, 3scale) without asking')
    .action(async (opts: { step?: string; deleteData?: boolean; deleteNamespaces?: boolean }, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runDestroy } = await import('./commands/destroy.js');
      result.code = await runDestroy(opts, globals(cmd), io);
    });

  program
    .command('sim')
    .description('run the simulated OpenShift cluster on its own and write a kubeconfig for kubectl/oc (until Ctrl-C)')
    .option('--port <n>', 'Kubernetes API port on 127.0.0.1 (0: any free port)', integerAtLeast('--port', 0, '6443'), 0)
    .option('--state-dir <dir>', 'keep the cluster state in DIR, reloaded on the next start')
    .option('--kubeconfig-out <file>', 'where to write the kubeconfig', 'maas-sim.kubeconfig')
    .addOption(new Option('--timing <timing>', 'how long the simulated operators take').choices(['instant', 'realistic']))
    .option('--speed <n>', 'divide realistic durations by N', positiveNumber('--speed', '60'))
    .option('--record <file>', 'write one JSON line per request (no secret values) to FILE')
    .addHelpText('after', '\nFailure scenarios: --scenario NAME (repeatable); the names are listed by `maas-wizard sim --list-scenarios`.')
    .option('--list-scenarios', 'print the failure scenarios and exit')
    .action(async (opts: SimFlags, cmd: Command) => {
      ctx.setUsage(usageOf(cmd));
      const { runSim } = await import('./commands/sim.js');
      result.code = await runSim(opts, globals(cmd), io);
    });

  for (const sub of program.commands) sub.allowExcessArguments(false);
  return program;
}

/** Options of `maas-wizard sim` (besides the global ones). */
export interface SimFlags {
  port: number;
  stateDir?: string;
  kubeconfigOut: string;
  timing?: 'instant' | 'realistic';
  speed?: number;
  record?: string;
  listScenarios?: boolean;
}

/**
 * Runs the CLI on `argv` (without `node` and the script: `['status', '--output', 'json']`).
 * Returns the exit code; never throws and never exits the process.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const result: { code: number; usage?: string } = { code: EXIT.ok };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return result.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return EXIT.ok; // --help, --version
      const failing = findCommand(program, argv);
      io.stderr.write(`usage: ${failing}\nfix: see \`${failing.split(' [')[0]} --help\` for every option\n`);
      return EXIT.usage;
    }
    return reportError(err, io.stderr, { ...(result.usage ? { usage: result.usage } : {}), debug: io.env['MAAS_WIZARD_DEBUG'] === '1' });
  }
}

/** Usage line of the subcommand named in argv, else of the program. */
function findCommand(program: Command, argv: string[]): string {
  const sub = program.commands.find((c) => argv.includes(c.name()));
  return sub ? `maas-wizard ${sub.name()} ${sub.usage()}` : `maas-wizard ${program.usage()}`;
}

/** True when this module is the program being run (bin/maas-wizard.js or main.js itself), not imported by a test. */
function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  let real: string;
  try {
    real = realpathSync(script);
  } catch {
    return false;
  }
  return real === fileURLToPath(import.meta.url) || /[\\/]bin[\\/]maas-wizard(\.js)?$/.test(real);
}

if (isEntry()) {
  const code = await main(process.argv.slice(2));
  // Let stdout drain, then leave even if a library keeps a handle open.
  process.stdout.write('', () => process.exit(code));
}

