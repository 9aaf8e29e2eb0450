/**
 * What the CLI touches of the outside world, injected so tests can run `main()` in-process:
 * the three standard streams, the environment and the interrupt signal (SIGINT).
 */
import { Writable } from 'node:stream';
import type { Host } from '../engine/host.js';

/** A writable stream as the CLI uses it; `isTTY`/`columns` as on `process.stdout`. */
export interface CliOutput {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** A readable stream as the CLI uses it; `isTTY` as on `process.stdin`. */
export type CliInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/** Everything `main(argv, io)` reads or writes besides files and the network. */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  stdin: CliInput;
  /** Environment variables (`CI`, `NO_COLOR`, `KUBECONFIG`, `MAAS_WIZARD_HOME`, `HF_TOKEN`, ...). */
  env: NodeJS.ProcessEnv;
  /**
   * Calls `handler` on every interrupt (Ctrl-C, SIGINT) until the returned function is called.
   * Absent in tests that never interrupt.
   */
  onInterrupt?(handler: () => void): () => void;
  /** Directory relative paths (answers file, state dir) are resolved from; default `process.cwd()`. */
  cwd?: string;
  /**
   * Replaces the host the CLI would choose (tests: a scripted host, src/cli/hosts/test.ts).
   * The chosen renderer (lines or JSON) still prints the event stream.
   */
  host?: Host;
}

/** The real process's streams, environment and SIGINT. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onInterrupt(handler) {
      // First Ctrl-C: cancel the run cleanly (progress saved, exit 130). Second: leave at once.
      let count = 0;
      const onSigint = (): void => {
        count += 1;
        if (count === 1) {
          process.stderr.write('\ninterrupting: finishing the current writes and saving the progress (Ctrl-C again to quit at once)\n');
          handler();
        } else process.exit(130);
      };
      process.on('SIGINT', onSigint);
      return () => process.off('SIGINT', onSigint);
    },
    cwd: process.cwd(),
  };
}

/** True when both stdin and stdout are terminals, i.e. a person can be asked. */
export function hasTty(io: CliIo): boolean {
  return io.stdin.isTTY === true && io.stdout.isTTY === true;
}

/** True when the environment says non-interactive (`CI=true` or `CI=1`, as CI services set it). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * A writable stream for @inquirer/prompts that forwards to `out`. Inquirer pipes into its
 * output and ends it when the prompt closes; this wrapper takes that end, so `out` stays open.
 */
export function promptOutput(out: CliOutput): NodeJS.WritableStream {
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Uint8Array, _enc, done) {
      out.write(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      done();
    },
  });
  return Object.assign(stream, { isTTY: out.isTTY, columns: out.columns ?? 80, rows: 24 });
}
