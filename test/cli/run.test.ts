import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../../src/cli/run.js';
import type { WizardDeps, WizardMode } from '../../src/cli/run.js';
import type { GlobalOptions } from '../../src/cli/options.js';
import { UserError } from '../../src/engine/errors.js';
import { fakeSteps } from './fake-steps.js';
import { Capture, makeIo, until } from './helpers.js';
import type { RunOptions } from './helpers.js';

const SECRET = 'hf_never_shown_42';
const services: WizardDeps['createServices'] = async () => ({ cluster: { server: 'https://api.lab.example.com:6443', context: 'lab' } });

async function wizard(opts: GlobalOptions, run: RunOptions & { steps?: ReturnType<typeof fakeSteps>; mode?: WizardMode } = {}) {
  const { io, stdout, stderr, home } = makeIo({ input: '', ...run });
  const steps = run.steps ?? fakeSteps();
  const code = await runWizard(opts, io, run.mode ?? { mode: 'wizard' }, { loadSteps: async () => steps, createServices: services });
  return { code, stdout, stderr, home, file: join(home, 'profiles', `${opts.profile ?? 'https___api.lab.example.com_6443'}.json`) };
}

describe('the wizard run (no TTY: line host)', () => {
  it('runs every step, saves the progress and prints a summary', async () => {
    const r = await wizard({ profile: 'lab' }, { env: { HF_TOKEN: SECRET } });
    expect(r.code).toBe(0);
    expect(r.stdout.text).toMatch(/steps: 3 done — took /);
    expect(r.stdout.text).toContain('`maas-wizard --profile lab status`');
    const saved = JSON.parse(readFileSync(r.file, 'utf8'));
    expect(saved.steps.report.state).toBe('done');
    expect(readFileSync(r.file, 'utf8')).not.toContain(SECRET);
  });

  it('derives the profile from the API server URL when none is given', async () => {
    const r = await wizard({}, { env: { HF_TOKEN: SECRET } });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(r.file, 'utf8')).profile.server).toBe('https://api.lab.example.com:6443');
  });

  it('a missing secret without a terminal is exit 2 naming the flag and the variable', async () => {
    const r = await wizard({ profile: 'lab' });
    expect(r.code).toBe(2);
    expect(r.stdout.text).toContain('error: models (inputs): models.hfToken');
    expect(r.stdout.text).toMatch(/fix: .*HF_TOKEN/);
  });

  it('--hf-token gives the secret; it is not saved', async () => {
    const r = await wizard({ profile: 'lab', hfToken: SECRET });
    expect(r.code).toBe(0);
    expect(readFileSync(r.file, 'utf8')).not.toContain(SECRET);
  });

  it('answers prefill inputs', async () => {
    const home = makeIo().home;
    writeFileSync(join(home, 'a.yaml'), 'project:\n  namespace: team-x\n');
    const r = await wizard({ profile: 'lab', answers: 'a.yaml' }, { home, env: { HF_TOKEN: SECRET } });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(r.file, 'utf8')).steps.project.outputs).toEqual({ namespace: 'team-x' });
  });

  it('a bad answers file is exit 2 pointing at the key, before the progress file is touched', async () => {
    const first = await wizard({ profile: 'lab' }, { env: { HF_TOKEN: SECRET } });
    const before = readFileSync(first.file, 'utf8');
    writeFileSync(join(first.home, 'bad.yaml'), 'project:\n  namespace: Foo\n  colour: blue\n');
    await expect(wizard({ profile: 'lab', answers: 'bad.yaml' }, { home: first.home })).rejects.toMatchObject({
      usage: true,
      message: expect.stringContaining('bad.yaml:2 project.namespace: invalid value "Foo"'),
    });
    expect(readFileSync(first.file, 'utf8')).toBe(before);
  });

  it('a failed step: exit 1, its dependants not started, and the retry command in the summary', async () => {
    const r = await wizard({ profile: 'lab' }, { env: { HF_TOKEN: SECRET }, steps: fakeSteps({ failModels: true }) });
    expect(r.code).toBe(1);
    expect(r.stdout.text).toContain('1 failed (models)');
    expect(r.stdout.text).toContain('error: models (apply): the bucket refused the upload');
    expect(r.stdout.text).toContain('next: fix the cause, then `maas-wizard --profile lab retry models`');
  });

  it('retry STEP runs the step again; steps already done are only verified', async () => {
    const failed = await wizard({ profile: 'lab' }, { env: { HF_TOKEN: SECRET }, steps: fakeSteps({ failModels: true }) });
    const applied: string[] = [];
    const r = await wizard(
      { profile: 'lab' },
      { home: failed.home, env: { HF_TOKEN: SECRET }, steps: fakeSteps({ onApply: (id) => applied.push(id) }), mode: { mode: 'retry', step: 'models' } },
    );
    expect(r.code).toBe(0);
    expect(applied).toEqual(['models']);
    expect(JSON.parse(readFileSync(r.file, 'utf8')).steps.models.state).toBe('done');
  });

  it('a run on saved progress says first that it resumes, with the failed step and its error', async () => {
    const failed = await wizard({ profile: 'lab' }, { env: { HF_TOKEN: SECRET }, steps: fakeSteps({ failModels: true }) });
    const again = await wizard({ profile: 'lab' }, { home: failed.home, env: { HF_TOKEN: SECRET } });
    expect(again.code).toBe(0);
    expect(again.stderr.text).toMatch(/notice: resuming profile lab: 1 step done; models failed at \S+ \(attempt 1\): the bucket refused the upload/);
  });

  it('MAAS_WIZARD_TEST_SCRIPT runs the wizard with the scripted test host', async () => {
    const home = makeIo().home;
    writeFileSync(join(home, 'script.yaml'), `inputs:\n  project: { namespace: team-t }\n  models: { hfToken: ${SECRET} }\nplans: apply\n`);
    const r = await wizard({ profile: 'lab' }, { home, env: { MAAS_WIZARD_TEST_SCRIPT: join(home, 'script.yaml') } });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(r.file, 'utf8')).steps.project.outputs).toEqual({ namespace: 'team-t' });
  });

  it('a malformed test script is exit 2 naming the variable', async () => {
    const home = makeIo().home;
    writeFileSync(join(home, 'script.yaml'), 'plans: maybe\n');
    await expect(wizard({ profile: 'lab' }, { home, env: { MAAS_WIZARD_TEST_SCRIPT: join(home, 'script.yaml') } })).rejects.toMatchObject({
      usage: true,
      message: expect.stringContaining('MAAS_WIZARD_TEST_SCRIPT'),
    });
  });

  it('retry of an unknown step is exit 2 listing the steps', async () => {
    await expect(wizard({ profile: 'lab' }, { mode: { mode: 'retry', step: 'modles' } })).rejects.toMatchObject({
      usage: true,
      message: 'there is no step "modles"',
      fix: 'use one of: project, models, report',
    });
  });

  it('plan shows the changes and applies nothing', async () => {
    const applied: string[] = [];
    const r = await wizard({ profile: 'lab' }, { env: { HF_TOKEN: SECRET }, steps: fakeSteps({ onApply: (id) => applied.push(id) }), mode: { mode: 'plan' } });
    expect(r.code).toBe(0);
    expect(applied).toEqual([]);
    expect(r.stdout.text).toContain('create Namespace demo');
    expect(r.stdout.text).toContain('nothing was changed');
  });

  it('Ctrl-C cancels the running step, saves the progress and exits 130', async () => {
    let interrupt: (() => void) | undefined;
    const io = makeIo({ input: '', env: { HF_TOKEN: SECRET }, onInterrupt: (h) => (interrupt = h) });
    const run = runWizard({ profile: 'lab' }, io.io, { mode: 'wizard' }, { loadSteps: async () => fakeSteps({ blockModels: true }), createServices: services });
    await until(() => io.stdout.text.includes('copying (blocks until interrupted)'), 'the models step to block');
    interrupt?.();
    const code = await run;
    expect(code).toBe(130);
    const saved = JSON.parse(readFileSync(join(io.home, 'profiles', 'lab.json'), 'utf8'));
    expect(saved.steps.project.state).toBe('done');
    expect(saved.steps.models.state).toBe('cancelled');
    expect(io.stdout.text).toContain('interrupted: the progress is saved; run `maas-wizard --profile lab` to resume');
  });
});

describe('the wizard run with --output json', () => {
  it('prints one JSON event per line and nothing else on stdout', async () => {
    const r = await wizard({ profile: 'lab', output: 'json' }, { env: { HF_TOKEN: SECRET } });
    expect(r.code).toBe(0);
    const events = r.stdout.lines().map((l) => JSON.parse(l) as { type: string });
    expect(events.at(-1)?.type).toBe('run-finished');
    expect(r.stdout.text).not.toContain(SECRET);
  });

  it('an error before the run is a JSON error object too', async () => {
    const home = makeIo().home;
    writeFileSync(join(home, 'bad.yaml'), 'nope: {}\n');
    const { io, stdout } = makeIo({ home });
    await expect(runWizard({ profile: 'lab', output: 'json', answers: 'bad.yaml' }, io, { mode: 'wizard' }, { loadSteps: async () => fakeSteps(), createServices: services })).rejects.toThrow();
    expect(JSON.parse(stdout.text)).toMatchObject({ type: 'error', code: 'input.invalid' });
  });
});

describe('the wizard run with --plain on a terminal', () => {
  it('asks the form and the plan with prompts, holding back step lines meanwhile', async () => {
    const stdin = new PassThrough();
    const stdout = new Capture(true);
    const { io, home } = makeIo({ tty: true, stdin, stdout });
    const run = runWizard({ profile: 'lab', plain: true }, io, { mode: 'wizard' }, { loadSteps: async () => fakeSteps().slice(0, 1), createServices: services });
    await until(() => stdout.text.includes('Namespace'), 'the namespace prompt');
    stdin.write('\u0015'); // Ctrl-U: clear the prefilled default
    stdin.write('team-q');
    await until(() => stdout.text.includes('team-q'), 'the typed text');
    stdin.write('\r');
    await until(() => stdout.text.includes('Apply these 1 changes?'), 'the plan question');
    expect(stdout.text).toContain('create Namespace demo');
    stdin.write('\r');
    expect(await run).toBe(0);
    const saved = JSON.parse(readFileSync(join(home, 'profiles', 'lab.json'), 'utf8'));
    expect(saved.steps.project.outputs).toEqual({ namespace: 'team-q' });
  });
});

describe('repair without a terminal: --accept-suggestion', () => {
  /** The fake steps with `models` refusing more than one replica, and diagnosing it with a suggestion. */
  const diagnosed = (): ReturnType<typeof fakeSteps> =>
    fakeSteps().map((s) =>
      s.id !== 'models'
        ? s
        : {
            ...s,
            async apply(ctx) {
              const n = (ctx.inputs as { replicas: number }).replicas;
              if (n > 1) throw new UserError('gpu.full', `${n} replicas do not fit on the GPUs`);
            },
            diagnose: async () => ({ summary: 'the GPUs hold one replica', fix: 'use 1 replica', suggestedInputs: { replicas: 1 } }),
          },
    );

  it('retry STEP --accept-suggestion takes the recorded suggestion over the answers file, and says so', async () => {
    const home = makeIo().home;
    writeFileSync(join(home, 'a.yaml'), 'models:\n  replicas: 3\n');
    const steps = diagnosed();
    const first = await wizard({ profile: 'lab', answers: 'a.yaml' }, { home, steps, env: { HF_TOKEN: SECRET } });
    expect(first.code).toBe(1);
    expect(JSON.parse(readFileSync(first.file, 'utf8')).steps.models.diagnosis.suggestedInputs).toEqual({ replicas: 1 });

    const again = await wizard(
      { profile: 'lab', answers: 'a.yaml', acceptSuggestion: true },
      { home, steps, env: { HF_TOKEN: SECRET }, mode: { mode: 'retry', step: 'models' } },
    );
    expect(again.code, again.stdout.text).toBe(0);
    expect(again.stderr.text).toContain('notice: models: using the suggested inputs replicas=1');
    const saved = JSON.parse(readFileSync(again.file, 'utf8'));
    expect(saved.inputs.models).toEqual({ replicas: 1 });
    expect(saved.steps.models.state).toBe('done');
    expect(saved.steps.models.diagnosis).toBeUndefined();
  });

  it('without a recorded suggestion it is a usage error naming the step', async () => {
    const home = makeIo().home;
    const err = await wizard({ profile: 'lab', acceptSuggestion: true }, { home, env: { HF_TOKEN: SECRET }, mode: { mode: 'retry', step: 'models' } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ code: 'suggestion.none', usage: true, message: expect.stringContaining('models') });
  });

  it('plan --graph prints the stages as a dependency graph before the summary', async () => {
    const r = await wizard({ profile: 'lab', graph: true }, { env: { HF_TOKEN: SECRET }, mode: { mode: 'plan' } });
    expect(r.code).toBe(0);
    expect(r.stdout.text).toContain('Stages by dependency layer');
    // report needs project and models; models needs project: only the direct wait is listed.
    expect(r.stdout.text).toContain('End-to-end check ← Model import');
    expect(r.stdout.text.indexOf('Waits on:')).toBeLessThan(r.stdout.text.indexOf('\nplan: '));
  });
});
