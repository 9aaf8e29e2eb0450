/**
 * Which host runs the wizard (ARCHITECTURE.md "Commands"): Ink when stdin and stdout are
 * terminals, `CI` is not true, and neither `--plain` nor `--output json` was given; JSON lines
 * with `--output json`; lines otherwise. Without a TTY nothing ever prompts (C14).
 */
import { hasTty, isCi } from '../io.js';
import type { CliIo } from '../io.js';

/** The three hosts of the CLI. */
export type HostKind = 'ink' | 'line' | 'json';

/** The chosen host and whether a person can be asked through it. */
export interface HostChoice {
  kind: HostKind;
  /** True when the host may prompt: a TTY, not CI, not --yes, not JSON. */
  interactive: boolean;
  /** Why nobody can be asked (for error messages), when `interactive` is false. */
  reason?: string;
}

/** Picks the host from the streams, the environment and the flags `--plain`, `--output`, `--yes`. */
export function chooseHost(io: CliIo, flags: { plain?: boolean; output?: string; yes?: boolean }): HostChoice {
  const tty = hasTty(io);
  const ci = isCi(io.env);
  const kind: HostKind = flags.output === 'json' ? 'json' : tty && !ci && !flags.plain ? 'ink' : 'line';
  const reason = !tty
    ? 'stdin or stdout is not a terminal'
    : ci
      ? 'CI is set'
      : flags.yes
        ? '--yes was given'
        : kind === 'json'
          ? '--output json was given'
          : undefined;
  return reason === undefined ? { kind, interactive: true } : { kind, interactive: false, reason };
}
