/**
 * Runs `main(argv, io)` in-process with captured streams, an isolated config home and an
 * injected environment, so CLI tests need no build and no child process.
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';
import type { Host } from '../../src/engine/host.js';

/** Emits `write` after every write to any Capture. */
const written = new EventEmitter().setMaxListeners(0);

/** A writable stream that keeps what was written (a real stream: prompts pipe into it). */
export class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns = 80;
  constructor(tty = false) {
    super({ decodeStrings: false });
    this.isTTY = tty;
  }
  override _write(chunk: string | Uint8Array, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    done();
    written.emit('write');
  }
  /** Lines written so far, without trailing empty ones. */
  lines(): string[] {
    return this.text.split('\n').filter((l) => l.length > 0);
  }
}

/** Options of `runCli`. */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Pretend stdin and stdout are terminals. */
  tty?: boolean;
  /** Text fed to stdin (then end). */
  input?: string;
  /** A stdin stream the test drives itself. */
  stdin?: PassThrough;
  /** A stdout the test watches while the command runs. */
  stdout?: Capture;
  home?: string;
  cwd?: string;
  host?: Host;
  /** Receives the interrupt handler the CLI installs (to simulate Ctrl-C). */
  onInterrupt?: (handler: () => void) => void;
}

/** Result of `runCli`. */
export interface RunOutcome {
  code: number;
  stdout: Capture;
  stderr: Capture;
  home: string;
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'maas-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Resolves once `check()` is true, checking now and after every write to any Capture (the
 * things waited for are all output). Rejects after `timeoutMs` as a failure bound, never as a
 * sleep.
 */
export async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  if (check()) return;
  await new Promise<void>((resolve, reject) => {
    const onWrite = (): void => {
      if (!check()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`gave up waiting for ${what}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      written.off('write', onWrite);
    };
    written.on('write', onWrite);
  });
}

/** Streams, env and home for an in-process run (see RunOptions). */
export function makeIo(options: RunOptions = {}): { io: CliIo; stdout: Capture; stderr: Capture; home: string } {
  const home = options.home ?? tempDir();
  const stdout = options.stdout ?? new Capture(options.tty ?? false);
  const stderr = new Capture(options.tty ?? false);
  const stdin = options.stdin ?? new PassThrough();
  (stdin as PassThrough & { isTTY?: boolean }).isTTY = options.tty ?? false;
  if (options.input !== undefined && !options.stdin) stdin.end(options.input);
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    env: { PATH: process.env['PATH'], HOME: home, MAAS_WIZARD_HOME: home, NO_COLOR: '1', KUBECONFIG: join(home, 'no-kubeconfig'), ...options.env },
    cwd: options.cwd ?? home,
    ...(options.host ? { host: options.host } : {}),
    ...(options.onInterrupt
      ? {
          onInterrupt: (h: () => void) => {
            options.onInterrupt?.(h);
            return () => undefined;
          },
        }
      : {}),
  };
  return { io, stdout, stderr, home };
}

/** Runs the CLI in-process. The env holds only what is given, plus MAAS_WIZARD_HOME, HOME and PATH. */
export async function runCli(argv: string[], options: RunOptions = {}): Promise<RunOutcome> {
  const { io, stdout, stderr, home } = makeIo(options);
  const code = await main(argv, io);
  return { code, stdout, stderr, home };
}
