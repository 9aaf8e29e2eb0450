/**
 * The Ink host: mounts the wizard's screen with Ink's `render` and implements the engine's
 * `Host` (interactive: true) by showing forms, plan confirmations, questions and checkpoints
 * in the current step pane and resolving when the person answers. The CLI imports this module
 * lazily (only when stdin and stdout are TTYs), so `--version` / `--help` never load Ink.
 */
import { createElement } from 'react';
import { render } from 'ink';
import type { EngineEvent, Explanation } from '../engine/types.js';
import type { Host } from './host-types.js';
import type { ResumeChoice, ResumeDecision, ResumeInfo } from './store.js';
import { UiStore } from './store.js';
import { App } from './App.js';
import { frozenFromEnv } from './clock.js';
import { colorlessStream } from './format.js';

/** Options of `startInkHost`. */
export interface InkHostOptions {
  /**
   * The engine (src/engine/run.ts `Engine`) or a relay of its events: only `on` is used; the
   * screen builds its own view from the events (`snapshot` is accepted and not read).
   */
  engine: { on(listener: (e: EngineEvent) => void): () => void; snapshot?(): unknown };
  /** The run's steps in display order; pass the step objects to get `explain` shown too. */
  steps: { id: string; stage: string; title: string; needs: string[]; explain?: Explanation }[];
  header: { cluster: string; user: string; profile: string };
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Frozen spinners and no wall-clock times (also `MAAS_WIZARD_FREEZE_SPINNERS=1`). */
  frozen?: boolean;
  /** Show the resume screen first (saved progress exists); `resumeChoice` then resolves. */
  resume?: ResumeInfo;
  /** Called on Ctrl-C; the CLI aborts the engine (exit 130). Without it, Ctrl-C unmounts the screen. */
  onInterrupt?: () => void;
  /** Environment for `NO_COLOR` and `MAAS_WIZARD_FREEZE_SPINNERS` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Show each step's full explanation (why, equivalent commands) from the start (`--explain`). Default false: `e` shows it. */
  explain?: boolean;
}

/** What `startInkHost` returns. */
export interface InkHostHandle {
  /** The engine's Host, backed by the screen. */
  host: Host;
  /** Resolves when the first frame has been written. */
  ready: Promise<void>;
  /** Present when `resume` was given: the person's choice on the resume screen. */
  resumeChoice?: Promise<ResumeChoice>;
  /** Present when `resume` was given: the person's decision (retry / edit / skip / resume / start over). */
  resumeDecision?: Promise<ResumeDecision>;
  /** Unmounts the screen; questions still waiting are rejected with an AbortError. Idempotent. */
  unmount(): void;
  /** Resolves when the screen has been unmounted (by `unmount` or Ctrl-C without `onInterrupt`). */
  done: Promise<void>;
}

/**
 * Mounts the screen and subscribes it to the engine's events. Throws what Ink's `render` throws
 * (e.g. "Raw mode is not supported" when stdin is not a TTY: the CLI must choose the line host
 * then, C14).
 */
export function startInkHost(options: InkHostOptions): InkHostHandle {
  const env = options.env ?? process.env;
  const store = new UiStore(options.steps, options.resume);
  // NO_COLOR (any non-empty value): the same screen without colours.
  const plain = Boolean(env['NO_COLOR']);
  const stdout = plain ? colorlessStream(options.stdout ?? process.stdout) : options.stdout;
  const resumeChoice = options.resume ? store.resumeChoice() : undefined;
  const resumeDecision = options.resume ? store.resumeDecision() : undefined;
  let unmounted = false;
  const unsubscribe = options.engine.on(store.dispatch);
  const unmount = (): void => {
    if (unmounted) return;
    unmounted = true;
    unsubscribe();
    store.abortAll();
    instance.unmount();
  };
  let instance: ReturnType<typeof render>;
  try {
    instance = render(
      createElement(App, {
        store,
        header: options.header,
        frozen: options.frozen ?? frozenFromEnv(env),
        explain: options.explain ?? false,
        onInterrupt: () => (options.onInterrupt ?? unmount)(),
      }),
      {
        ...(options.stdin ? { stdin: options.stdin } : {}),
        ...(stdout ? { stdout } : {}),
        exitOnCtrlC: false,
        patchConsole: false,
      },
    );
  } catch (err) {
    unsubscribe();
    throw err;
  }
  const done = instance.waitUntilExit().then(
    () => undefined,
    () => undefined,
  );
  void done.then(() => {
    if (!unmounted) {
      unmounted = true;
      unsubscribe();
      store.abortAll();
    }
  });
  return {
    host: store.host(),
    ready: instance.waitUntilRenderFlush(),
    ...(resumeChoice ? { resumeChoice } : {}),
    ...(resumeDecision ? { resumeDecision } : {}),
    unmount,
    done,
  };
}
