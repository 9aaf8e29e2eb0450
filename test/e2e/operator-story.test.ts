/**
 * The operator's story (issue #9 "done means"): a run on a terminal fails at serving (scenario
 * `kv-cache-too-small`), the wizard is closed and started again; the resume screen shows the
 * failed step and its diagnosis first, the person takes "edit inputs, then retry", the serving
 * form comes back with the diagnosis' suggested maxModelLen, the run completes — and no write
 * request of the first run is sent again (the simulation's request log), so the steps already
 * done were only re-verified.
 *
 * Driven through the CLI's own Ink path on a fake 80×24 terminal, one key per write, each only
 * once a new frame asks for it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { main } from '../../src/cli/main.js';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { makeIo } from '../cli/helpers.js';
import { readStatus, startControlledCluster, writesIn } from './helpers.js';
import { FakeTerminalIn, FakeTerminalOut } from './tty.js';

/** Most Enter presses one run may need; a bound against a loop, not an expectation. */
const MAX_PRESSES = 300;
/** Most frames to wait through for the next one that asks for a key. */
const MAX_FRAMES = 3000;
/** Two whole interactive runs on a loaded machine: a failure bound, not an expectation. */
const TIMEOUT_MS = 240_000;

/** True when the key hints (bottom lines) say the screen waits for Enter. */
function waitsForEnter(frame: string): boolean {
  const bottom = frame.trimEnd().split('\n').slice(-3).join('\n');
  return /Enter (next|answer|confirm)|y\/Enter apply|Press Enter when this is done|q\/Enter close/.test(bottom);
}

/** One wizard run on a fake terminal, with helpers to wait for frames and press keys. */
function terminalRun(argv: string[], home: string) {
  const stdout = new FakeTerminalOut();
  const stdin = new FakeTerminalIn();
  const { io, stderr } = makeIo({ tty: true, home, env: { HF_TOKEN: DEMO_HF_TOKEN } });
  io.stdout = stdout;
  io.stdin = stdin as unknown as typeof io.stdin;
  let finished = false;
  const run = main(argv, io).finally(() => (finished = true));
  let pressedOn = '';

  /** The first frame (now or later) for which `test` holds; undefined when the run ends first. */
  const frameWhere = (test: (f: string) => boolean): Promise<string | undefined> =>
    new Promise((resolve, reject) => {
      let seen = 0;
      const onFrame = (f: string): void => {
        if (test(f)) done(f);
        else if (++seen > MAX_FRAMES) {
          stdout.off('frame', onFrame);
          reject(new Error(`no frame as expected after ${seen} frames; last:\n${stdout.frame()}`));
        }
      };
      const done = (f: string | undefined): void => {
        stdout.off('frame', onFrame);
        resolve(f);
      };
      stdout.on('frame', onFrame);
      void run.then(() => done(undefined), () => done(undefined));
      if (finished) done(undefined);
      else if (test(stdout.frame())) done(stdout.frame());
    });

  /** Presses a key once Ink has finished the render of `frame` (its input handlers are set after the write). */
  const press = async (key: string, frame: string): Promise<void> => {
    pressedOn = frame;
    await new Promise((r) => setImmediate(r));
    stdin.write(key);
  };

  /** Enter on every new frame that asks for it, until the run ends; `onFrame` sees each such frame first. */
  const enterUntilDone = async (onFrame: (f: string) => void = () => undefined): Promise<number> => {
    let presses = 0;
    for (;;) {
      const frame = await frameWhere((f) => f !== pressedOn && waitsForEnter(f));
      if (frame === undefined) return presses;
      onFrame(frame);
      expect(presses, `more than ${MAX_PRESSES} presses; last frame:\n${frame}`).toBeLessThan(MAX_PRESSES);
      await press('\r', frame);
      presses += 1;
    }
  };
  return { stdout, stderr, run, frameWhere, press, enterUntilDone };
}

describe('operator story: fails at serving, closed, started again, repaired from the resume screen', () => {
  // Ink draws only the last frame when it believes it runs in CI (is-in-ci reads these once).
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

  it('kv-cache-too-small: the diagnosis first, its suggested maxModelLen accepted, the run completes with no write repeated', async () => {
    const cluster = await startControlledCluster(['kv-cache-too-small']);
    try {
      // One vLLM model (fewer steps to press through), imported from this machine (see helpers.ts
      // `localImportAnswers` for why not the in-cluster Job).
      const answers = 'answers.yaml';
      writeFileSync(join(cluster.home, answers), stringify({ import: { method: 'local', models: ['mistralai/Mistral-7B-Instruct-v0.3'] } }));
      const argv = ['--kubeconfig', cluster.kubeconfig, '--profile', 'e2e', '--answers', answers];

      // First run: Enter at every form and plan; serving fails (the KV cache holds 15000 tokens).
      const first = terminalRun(argv, cluster.home);
      await first.enterUntilDone();
      const code1 = await first.run;
      expect(code1, `${first.stdout.text().slice(-3000)}\n${first.stderr.text.slice(-2000)}`).toBe(1);
      const writesBefore = writesIn(cluster.sim.requestLog.entries());
      const logLength = cluster.sim.requestLog.entries().length;
      const status1 = await readStatus(cluster.home, ['--profile', 'e2e', '--kubeconfig', cluster.kubeconfig]);
      const failed = status1.steps.filter((s) => s.state === 'failed');
      expect(failed.map((f) => f.step), JSON.stringify(status1.steps.map((s) => [s.step, s.state]))).toEqual(['serving.mistral-7b-instruct']);
      for (const f of failed) expect(f.step).toMatch(/^serving\./);
      const suggestions = new Map(
        failed.map((f) => [f.step, (f as { diagnosis?: { suggestedInputs?: { maxModelLen?: number } } }).diagnosis?.suggestedInputs?.maxModelLen]),
      );
      for (const [step, n] of suggestions) {
        expect(typeof n, `suggestion recorded for ${step}`).toBe('number');
        expect(n as number).toBeLessThanOrEqual(15000);
      }
      const doneBefore = status1.steps.filter((s) => s.state === 'done').map((s) => s.step);
      expect(doneBefore.length).toBeGreaterThan(5);

      // Second run: the resume screen comes first, with the failed step, its diagnosis and the suggestion.
      const second = terminalRun(argv, cluster.home);
      const resume = await second.frameWhere((f) => f.includes('What now?'));
      expect(resume, `the resume screen did not appear:\n${second.stdout.text().slice(-3000)}`).toBeDefined();
      const screen = resume as string;
      const failedStep = /✖ (serving\.\S+) failed at/.exec(screen)?.[1];
      expect(failedStep, screen).toBeDefined();
      expect(screen.indexOf('failed at')).toBeLessThan(screen.indexOf('What now?'));
      expect(screen).toMatch(/KV cache/);
      expect(screen).toContain(`suggested input: maxModelLen = ${String(suggestions.get(failedStep as string))}`);
      expect(screen).toContain('❯ Retry');
      await second.press('\u001B[B', screen);
      const edit = await second.frameWhere((f) => f.includes('❯ Edit inputs, then retry'));
      expect(edit).toBeDefined();
      await second.press('\r', edit as string);

      // The serving forms come back with the suggested value; Enter takes it.
      const formValues: string[] = [];
      await second.enterUntilDone((f) => {
        const m = /Max model length \(tokens\): (\d+)/.exec(f);
        if (m?.[1]) formValues.push(m[1]);
      });
      const code2 = await second.run;
      expect(code2, `${second.stdout.text().slice(-3000)}\n${second.stderr.text.slice(-2000)}`).toBe(0);
      expect(formValues.length).toBeGreaterThan(0);
      for (const v of formValues) expect([...suggestions.values()].map(String)).toContain(v);

      // Every step done; the repaired ones serve with the suggested length.
      const status2 = await readStatus(cluster.home, ['--profile', 'e2e', '--kubeconfig', cluster.kubeconfig]);
      // (status also lists the catalog's other models' steps, never part of this run: not recorded.)
      const recorded = status2.steps.filter((s) => s.attempts.length > 0);
      expect(recorded.length).toBeGreaterThan(doneBefore.length);
      for (const s of recorded) expect(s.state, s.step).toBe('done');
      for (const [step, n] of suggestions) expect(status2.steps.find((s) => s.step === step)?.outputs['maxModelLen']).toBe(n);

      // No write request of the first run was sent again for a step done then: those were only
      // verified. The failed steps' own objects (InferenceService <model>, named after the step,
      // `serving.<model>`) are written again: that is the repair.
      const writesAfter = writesIn(cluster.sim.requestLog.entries().slice(logLength));
      const ofFailed = (w: string): boolean => [...suggestions.keys()].some((step) => w.includes(`/${step.slice('serving.'.length)}?`) || w.endsWith(`/${step.slice('serving.'.length)}`));
      const repeated = writesAfter.filter((w) => writesBefore.includes(w) && !ofFailed(w));
      expect(repeated, `writes of the first run sent again:\n${repeated.join('\n')}`).toEqual([]);
      expect(writesAfter.filter(ofFailed).length, writesAfter.join('\n')).toBeGreaterThanOrEqual(suggestions.size);
    } finally {
      await cluster.stop();
    }
  }, TIMEOUT_MS);
});
