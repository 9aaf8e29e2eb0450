/**
 * The full-screen wizard as a person drives it: `maas-wizard --demo` on a (fake) terminal, through
 * the CLI's own Ink path, pressing Enter at every form, plan and question to take the defaults,
 * one key per write and only once a new frame showing an Enter hint is on screen (C15), until the
 * run ends. No snapshots: the final frame must show every stage done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { makeIo } from '../cli/helpers.js';
import { localImportAnswers } from './helpers.js';
import { FakeTerminalIn, FakeTerminalOut } from './tty.js';

/** Most key presses the run may need (forms, fields, plans, questions); a bound, not an expectation. */
const MAX_PRESSES = 300;
/** Most frames to wait through for the next one that takes Enter; a bound against a stuck screen. */
const MAX_FRAMES_PER_PRESS = 2000;

/** True when the key hints (bottom lines) say the screen waits for Enter: a form, a plan, a question, a checkpoint. */
function waitsForEnter(frame: string): boolean {
  const bottom = frame.trimEnd().split('\n').slice(-3).join('\n');
  return /Enter (next|answer|confirm)|y\/Enter apply|Press Enter when this is done|q\/Enter close/.test(bottom);
}

/** The screen's stage list: `✔ Preflight   0:00│` → `[state mark, name]` per stage. */
function stagesOf(frame: string): { mark: string; name: string }[] {
  const out: { mark: string; name: string }[] = [];
  for (const line of frame.split('\n')) {
    const m = /^\s?›?\s?(\S)\s(.+?)\s+\d+:\d\d│/.exec(line);
    if (m) out.push({ mark: m[1]!, name: m[2]!.trim() });
  }
  return out;
}

describe('maas-wizard --demo on a terminal (Ink), Enter at every step', () => {
  // Ink draws only the last frame when it believes it runs in CI (is-in-ci reads CI and
  // CONTINUOUS_INTEGRATION when Ink is first loaded, lazily, by the run below): a person's terminal has neither.
  const saved: Record<string, string | undefined> = {};
  beforeAll(() => {
    for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) {
      saved[k] = process.env[k];
      delete process.env[k];
    }
  });
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) if (v !== undefined) process.env[k] = v;
  });

  it('takes every default, applies every plan and ends with every stage done', async () => {
    const stdout = new FakeTerminalOut();
    const stdin = new FakeTerminalIn();
    const { io, stderr, home } = makeIo({ tty: true });
    // The forms show the answers file's values as defaults; Enter keeps them (import from this machine: see helpers.ts).
    io.stdout = stdout;
    io.stdin = stdin as unknown as typeof io.stdin;

    let finished = false;
    const run = main(['--demo', '--demo-timing', 'instant', '--answers', localImportAnswers(home)], io).finally(() => (finished = true));

    // Wait for a frame (different from the one Enter was last pressed on) that takes Enter, or the end.
    let pressedOn = '';
    const nextPrompt = (): Promise<string | undefined> =>
      new Promise((resolve, reject) => {
        let seen = 0;
        const check = (frame: string): boolean => frame !== pressedOn && waitsForEnter(frame);
        const onFrame = (frame: string): void => {
          if (check(frame)) done(frame);
          else if (++seen > MAX_FRAMES_PER_PRESS) fail();
        };
        const done = (frame: string | undefined): void => {
          stdout.off('frame', onFrame);
          resolve(frame);
        };
        const fail = (): void => {
          stdout.off('frame', onFrame);
          reject(new Error(`no frame waiting for Enter after ${seen} frames; last frame:\n${stdout.frame()}`));
        };
        stdout.on('frame', onFrame);
        void run.then(() => done(undefined), () => done(undefined));
        if (finished) done(undefined);
        else if (check(stdout.frame())) done(stdout.frame());
      });

    let presses = 0;
    for (;;) {
      const frame = await nextPrompt();
      if (frame === undefined) break;
      expect(presses, `more than ${MAX_PRESSES} presses; last frame:\n${frame}`).toBeLessThan(MAX_PRESSES);
      pressedOn = frame;
      // Let Ink finish the render that wrote this frame (its input handlers are set after the write).
      await new Promise((r) => setImmediate(r));
      stdin.write('\r');
      presses += 1;
    }

    const code = await run;
    expect(stderr.text).not.toMatch(/unexpected error|internal error|Raw mode/);
    expect(code, `${stdout.text().slice(-3000)}\n${stderr.text.slice(-3000)}`).toBe(0);
    // Forms and plans of the 28 steps were answered: at least one press per step.
    expect(presses).toBeGreaterThanOrEqual(28);
    // The first screens: the demo's scenario picker, then the model picker (before the step graph).
    expect(stdout.frames.findIndex((f) => f.includes('Simulated cluster: run normally'))).toBeLessThan(stdout.frames.findIndex((f) => f.includes('Choose the models to serve')));
    // The last screen: the summary, closed with Enter.
    const summary = [...stdout.frames].reverse().find((f) => f.includes('q/Enter close'));
    expect(summary).toMatch(/Developer portal\s+https:\/\/maas\.apps\.sim\.maas\.example/);

    // The last full-screen frame (the summary lines follow it once the screen closes).
    const last = [...stdout.frames].reverse().find((f) => f.includes('── maas-wizard'));
    expect(last).toBeDefined();
    const stages = stagesOf(last!);
    expect(stages.map((s) => s.name.replace(/\s+\d+\/\d+$/, ''))).toEqual([
      'Preflight',
      'Project',
      'Object storage',
      'Data connection',
      'Model import',
      'Serving',
      'SSO',
      '3scale',
      'Policies',
      'Portal',
      'End-to-end check',
    ]);
    for (const s of stages) expect(s.mark, `stage ${s.name}`).toBe('✔');
    expect(last).toContain('Serving 3/3');
    expect(last).toContain('SSO 4/4');
    expect(last).toContain('3scale 7/7');
    expect(last).toContain('Policies 3/3');
    expect(last).toContain('Portal 2/2');
    expect(last).toContain('All steps done.');
    expect(stdout.text()).toMatch(/steps: 28 done — took /);
  });
});
