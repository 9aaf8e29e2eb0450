/**
 * The Ink host chosen on a terminal: the CLI mounts src/ui/ink-host.ts through its lazy import
 * and the run completes (with --yes nothing is asked); a demo without --scenario starts with the
 * scenario picker. Switches on once src/ui/ink-host.ts exists.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWizard } from '../../src/cli/run.js';
import { fakeSteps } from './fake-steps.js';
import { makeIo, until } from './helpers.js';

const root = join(import.meta.dirname, '../..');
const ready = existsSync(join(root, 'src/ui/ink-host.ts'));
if (!ready) console.warn('skipped: src/ui/ink-host.ts is not there yet');

/** A stdin that passes for a terminal (Ink needs setRawMode, ref and unref). */
function ttyStdin(): PassThrough {
  const s = new PassThrough();
  return Object.assign(s, { isTTY: true, setRawMode: () => s, ref: () => s, unref: () => s });
}

// Ink draws only the last frame when it believes it runs in CI (is-in-ci reads CI and
// CONTINUOUS_INTEGRATION once, when Ink is first loaded in this file): unset for the whole file,
// since the first test below already loads Ink.
const savedEnv: Record<string, string | undefined> = {};
beforeAll(() => {
  for (const k of ['CI', 'CONTINUOUS_INTEGRATION']) {
    savedEnv[k] = process.env[k];
    delete process.env[k];
  }
});
afterAll(() => {
  for (const [k, v] of Object.entries(savedEnv)) if (v !== undefined) process.env[k] = v;
});

describe.skipIf(!ready)('Ink host', () => {
  it('on a terminal the full-screen wizard runs the steps, then the summary is printed', async () => {
    const { io, stdout } = makeIo({ tty: true, stdin: ttyStdin(), env: { HF_TOKEN: 'hf_x', MAAS_WIZARD_FREEZE_SPINNERS: '1' } });
    const code = await runWizard({ profile: 'lab', yes: true }, io, { mode: 'wizard' }, {
      loadSteps: async () => fakeSteps(),
      createServices: async () => ({ cluster: { server: 'https://api.lab.example.com:6443', context: 'lab', user: 'kube:admin' } }),
    });
    expect(code).toBe(0);
    expect(stdout.text).toContain('profile lab'); // the Ink header
    expect(stdout.text).not.toContain('› planning'); // not the line renderer
    expect(stdout.text).toMatch(/steps: 3 done — took /);
  });
});

describe.skipIf(!ready)('the demo on a terminal without --scenario', () => {
  it('first offers a normal run or a failure scenario; the one picked is the simulated cluster started', async () => {
    const stdin = ttyStdin();
    const { io, stdout, stderr } = makeIo({ tty: true, stdin, env: { HF_TOKEN: 'hf_x', MAAS_WIZARD_FREEZE_SPINNERS: '1' } });
    const run = runWizard({ demo: true, demoTiming: 'instant' }, io, { mode: 'wizard' }, {
      loadSteps: async () => fakeSteps(),
      createServices: async () => ({ cluster: { server: 'https://api.lab.example.com:6443', context: 'lab', user: 'kube:admin' } }),
    });
    await until(() => stdout.text.includes('❯ Normal run'), 'the scenario picker');
    // Down until the KV-cache scenario is highlighted (the list scrolls), then Enter.
    let from = stdout.text.length;
    for (let i = 0; i < 20 && !stdout.text.slice(from).includes('❯ kv-cache-too-small'); i++) {
      from = stdout.text.length;
      stdin.write('\u001B[B');
      await until(() => stdout.text.length > from, 'the next frame');
    }
    expect(stdout.text).toContain('KV cache of 15000 tokens');
    stdin.write('\r');
    await until(() => stderr.text.includes('with scenario kv-cache-too-small'), 'the simulated cluster started with the scenario');
    await until(() => stdout.text.includes('profile demo'), 'the wizard screen');
    stdin.write('\u0003'); // Ctrl-C
    expect(await run).toBe(130);
  });
});

describe.skipIf(!ready)('the resume screen on a terminal: retry and skip', () => {
  const services = async () => ({ cluster: { server: 'https://api.lab.example.com:6443', context: 'lab', user: 'kube:admin' } });
  const env = { HF_TOKEN: 'hf_x', MAAS_WIZARD_FREEZE_SPINNERS: '1' };

  /** A first run (no terminal, --yes) in which `models` fails; returns the home and the progress file. */
  async function failedFirst(): Promise<{ home: string; file: string }> {
    const { io, home } = makeIo({ input: '', env });
    const code = await runWizard({ profile: 'lab', yes: true }, io, { mode: 'wizard' }, { loadSteps: async () => fakeSteps({ failModels: true }), createServices: services });
    expect(code).toBe(1);
    return { home, file: join(home, 'profiles', 'lab.json') };
  }

  it('skip: the failed step is recorded skipped and what needs it does not run', async () => {
    const { home, file } = await failedFirst();
    const stdin = ttyStdin();
    const { io, stdout } = makeIo({ tty: true, stdin, home, env });
    const applied: string[] = [];
    const run = runWizard({ profile: 'lab' }, io, { mode: 'wizard' }, { loadSteps: async () => fakeSteps({ onApply: (id) => applied.push(id) }), createServices: services });
    await until(() => stdout.text.includes('What now?'), 'the resume screen');
    expect(stdout.text).toContain('will not run either: report');
    let from = stdout.text.length;
    stdin.write('\u001B[B');
    await until(() => stdout.text.slice(from).includes('❯ Edit inputs'), 'Edit highlighted');
    from = stdout.text.length;
    stdin.write('\u001B[B');
    await until(() => stdout.text.slice(from).includes('❯ Skip models'), 'Skip highlighted');
    stdin.write('\r');
    expect(await run).toBe(0);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { steps: Record<string, { state: string }> };
    expect(data.steps['models']?.state).toBe('skipped');
    expect(data.steps['report']).toBeUndefined();
    expect(applied).toEqual([]);
  });

  it('retry: the failed step runs again with its saved inputs, no form, only its plan to confirm', async () => {
    const { home, file } = await failedFirst();
    const stdin = ttyStdin();
    const { io, stdout } = makeIo({ tty: true, stdin, home, env });
    const applied: string[] = [];
    const run = runWizard({ profile: 'lab' }, io, { mode: 'wizard' }, { loadSteps: async () => fakeSteps({ onApply: (id) => applied.push(id) }), createServices: services });
    await until(() => stdout.text.includes('❯ Retry models'), 'the resume screen');
    let from = stdout.text.length;
    stdin.write('\r');
    // Plans of models, then report: Enter applies each.
    for (const step of ['models', 'report']) {
      await until(() => stdout.text.slice(from).includes('Apply this plan'), `the plan of ${step}`);
      from = stdout.text.length;
      stdin.write('\r');
    }
    expect(await run).toBe(0);
    expect(stdout.text).not.toContain('Replicas'); // the form of models was not shown again
    expect(applied).toEqual(['models', 'report']);
    const data = JSON.parse(readFileSync(file, 'utf8')) as { steps: Record<string, { state: string }> };
    expect(data.steps['models']?.state).toBe('done');
  });
});
