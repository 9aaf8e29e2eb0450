/**
 * The global options every command takes (ARCHITECTURE.md "Commands"), declared with commander
 * and checked as they are parsed: a bad value stops the run with exit 2 and a message naming the
 * flag and the fix. No import here may load Ink, React, @kubernetes/client-node or the simulation.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';

/** Timing of the simulated cluster (src/sim/types.ts `TimingProfile`). */
export type DemoTiming = 'instant' | 'realistic';

/** Values of the global options after parsing (commander's camel-cased names). */
export interface GlobalOptions {
  /** Path of a kubeconfig file; overrides `KUBECONFIG` (kubectl precedence). */
  kubeconfig?: string;
  /** kubeconfig context to use instead of the current one. */
  context?: string;
  /** YAML file with inputs: top-level keys are step ids, then input keys. */
  answers?: string;
  /** Accept defaults and plans without asking. */
  yes?: boolean;
  /** Name of the progress profile (default: `demo` with --demo, else from the API server URL). */
  profile?: string;
  /** Run against the embedded simulated cluster. */
  demo?: boolean;
  demoTiming?: DemoTiming;
  /** Divides the simulated durations (realistic timing); > 0. */
  demoSpeed?: number;
  /** Failure scenarios of the simulation (demo only), repeatable. */
  scenario?: string[];
  /** Line output even on a terminal. */
  plain?: boolean;
  /** `text` (screens or lines), `json` (one JSON object per event per line); `table` is `text` for `status`. */
  output?: 'text' | 'json' | 'table';
  /** How many steps may run at once; integer >= 1. */
  concurrency?: number;
  /** `HOST:PORT` every route host of the cluster is reached at (no DNS). */
  ingressAddress?: string;
  /** Hugging Face token (secret: kept in memory and in a cluster Secret only). */
  hfToken?: string;
  /** Show every step's full explanation (what, why, equivalent commands) from the start. */
  explain?: boolean;
  /** Use the diagnosis' suggested inputs of the failed steps (e.g. a smaller maxModelLen) on this run. */
  acceptSuggestion?: boolean;
  /** `status` / `plan`: also draw the stages as a dependency graph (text, fits 80 columns). */
  graph?: boolean;
}

/**
 * The flags of secret step fields (`InputField.flag` with kind `secret`). Commander refuses
 * flags it does not know, so a step that declares a new secret flag needs it added here.
 */
export const SECRET_FLAGS: readonly { flag: string; option: keyof GlobalOptions; help: string }[] = [
  { flag: '--hf-token', option: 'hfToken', help: 'Hugging Face token (prefer the HF_TOKEN environment variable: command lines are visible to other users)' },
];

/** Parses a number > 0 (`--demo-speed 60`, `--demo-speed 0.5`). Throws commander's InvalidArgumentError. */
export function positiveNumber(flag: string, example: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag} takes a number greater than 0, e.g. ${flag} ${example}`);
    }
    return n;
  };
}

/** Parses an integer >= 1 (`--concurrency 4`, `--port 0` with `min` 0). */
export function integerAtLeast(flag: string, min: number, example: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n < min) {
      throw new InvalidArgumentError(`${flag} takes a whole number of at least ${min}, e.g. ${flag} ${example}`);
    }
    return n;
  };
}

/** Parses `HOST:PORT` (port 1..65535; IPv6 hosts in brackets). */
export function hostPort(flag: string): (value: string) => string {
  return (value) => {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value.trim());
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535) {
      throw new InvalidArgumentError(`${flag} takes HOST:PORT, e.g. ${flag} 10.0.0.5:443`);
    }
    return value.trim();
  };
}

/** Collects a repeatable option's values into an array (`--scenario a --scenario b`). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Declares the global options on the root command (commander recognises them before and after a subcommand). */
export function addGlobalOptions(program: Command): Command {
  program
    .option('--kubeconfig <file>', 'kubeconfig file to use (default: KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: the current context)')
    .option('--answers <file>', 'YAML file with inputs: step id, then input key (see README "Answers file")')
    .option('-y, --yes', 'accept defaults and plans without asking (automation)')
    .option('--profile <name>', 'progress profile (default: "demo" with --demo, else the API server URL)')
    .option('--demo', 'run against the built-in simulated OpenShift cluster')
    .addOption(
      new Option('--demo-timing <timing>', 'how long the simulated operators take (default: realistic)').choices(['instant', 'realistic']),
    )
    .option('--demo-speed <n>', 'divide realistic demo durations by N (default 10; 60: a minute takes a second)', positiveNumber('--demo-speed', '60'))
    .option('--scenario <name>', 'simulated failure scenario (demo only; repeatable; `maas-wizard sim --list-scenarios` lists them)', collect)
    .option('--plain', 'line output instead of the full-screen wizard, even on a terminal')
    .addOption(new Option('--output <format>', 'output format (status: table|json)').choices(['text', 'json', 'table']))
    .option('--concurrency <n>', 'how many steps may run at once (default 4)', integerAtLeast('--concurrency', 1, '4'))
    .option('--ingress-address <host:port>', 'reach every route host of the cluster at HOST:PORT (no DNS needed)', hostPort('--ingress-address'))
    .option('--explain', "show each step's full explanation from the start: what, why, and the oc / YAML / curl to do it by hand (key e toggles it)")
    .option(
      '--accept-suggestion',
      'take the inputs the last failure\'s diagnosis suggested (e.g. a smaller maxModelLen) for the failed steps, without a terminal: `maas-wizard retry STEP --accept-suggestion`',
    )
    .option('--graph', 'status / plan: also draw the stages as a dependency graph (parallel stages side by side; key g on the screen)');
  for (const s of SECRET_FLAGS) program.option(`${s.flag} <value>`, s.help);
  return program;
}
