/**
 * Test helpers for the Ink screens: mount with ink-testing-library, wait for a frame that
 * satisfies a condition (woken by each write to the fake stdout, bounded number of frames, no
 * fixed sleeps), strip ANSI, and compare frames with snapshot files under snapshots/.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReactElement } from 'react';
import { render } from 'ink-testing-library';
import stripAnsi from 'strip-ansi';
import type { EngineEvent } from '../../src/engine/types.js';

/** The project root (two levels above this file). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A mounted element: ink-testing-library's instance plus `frame()` (ANSI stripped). */
export type Mounted = ReturnType<typeof render> & { frame(): string };

/** Mounts an element. */
export function mount(tree: ReactElement): Mounted {
  const inst = render(tree);
  // ink-testing-library's stdout has `columns` but no `rows`; Ink then asks the real terminal
  // (a `tput` child process) on every render. Give its class 24 rows, like an 80×24 terminal.
  const proto = Object.getPrototypeOf(inst.stdout) as object;
  if (!('rows' in proto)) Object.defineProperty(proto, 'rows', { get: () => 24 });
  return Object.assign(inst, { frame: () => stripAnsi(inst.lastFrame() ?? '') });
}

/**
 * Resolves with the first frame (ANSI stripped) for which `test` holds — checking the current
 * frame, then every new write — or rejects after `maxFrames` writes / `maxMs` without one,
 * showing the last frame. `test` may be a substring.
 */
export function waitForFrame(inst: Mounted, test: string | ((frame: string) => boolean), maxFrames = 500, maxMs = 10_000): Promise<string> {
  const ok = typeof test === 'string' ? (f: string) => f.includes(test) : test;
  const now = inst.frame();
  if (ok(now)) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const original = inst.stdout.write;
    let count = 0;
    const restore = () => {
      inst.stdout.write = original;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => {
      restore();
      reject(new Error(`no frame matched ${String(test)} within ${maxMs} ms; last frame:\n${inst.frame()}`));
    }, maxMs);
    inst.stdout.write = (data: string) => {
      original(data);
      const f = inst.frame();
      if (ok(f)) {
        restore();
        resolve(f);
      } else if (++count >= maxFrames) {
        restore();
        reject(new Error(`no frame matched ${String(test)} after ${count} frames; last frame:\n${f}`));
      }
    };
  });
}

/** Trailing spaces removed per line, trailing blank lines removed: the form kept in snapshot files. */
export function normalizeFrame(frame: string): string {
  return (
    frame
      .split('\n')
      .map((l) => l.trimEnd())
      .join('\n')
      .replace(/\n+$/, '') + '\n'
  );
}

/**
 * Compares `frame` with snapshots/<name>.txt. When the file is missing or UPDATE_SNAPSHOTS=1,
 * writes it and returns a note saying so; otherwise returns the stored text for the caller to
 * assert equal (so a difference fails the test with a diff).
 */
export function snapshotFile(name: string, frame: string): { expected: string; actual: string; wrote?: string } {
  const file = path.join(ROOT, 'snapshots', `${name}.txt`);
  const actual = normalizeFrame(frame);
  if (!existsSync(file) || process.env['UPDATE_SNAPSHOTS'] === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return { expected: actual, actual, wrote: `snapshot written: ${path.relative(ROOT, file)}` };
  }
  return { expected: readFileSync(file, 'utf8'), actual };
}

/** A fake engine: `on` registers listeners, `emit` sends an event to all of them. */
export function fakeEngine() {
  const listeners = new Set<(e: EngineEvent) => void>();
  return {
    on(listener: (e: EngineEvent) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(e: EngineEvent) {
      for (const l of listeners) l(e);
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

/** Ink-testing-library's stdin accepts `write`; keys as terminals send them. */
export const KEYS = { enter: '\r', up: '\u001B[A', down: '\u001B[B', pageDown: '\u001B[6~', pageUp: '\u001B[5~', tab: '\t', backspace: '\u007F', ctrlC: '\u0003' };
