import { describe, expect, it } from 'vitest';
import { chooseHost } from '../../src/cli/hosts/choose.js';
import { JsonHost } from '../../src/cli/hosts/json.js';
import { LineHost } from '../../src/cli/hosts/line.js';
import { TestHost } from '../../src/cli/hosts/test.js';
import { UnattendedHost } from '../../src/cli/hosts/unattended.js';
import type { CliIo } from '../../src/cli/io.js';
import { Engine } from '../../src/engine/run.js';
import type { EngineEvent } from '../../src/engine/types.js';
import { fakeSteps } from './fake-steps.js';
import { Capture } from './helpers.js';
import { PassThrough } from 'node:stream';

const SECRET = 'hf_secret_value_123';

function lineHost(out: Capture, steps = fakeSteps()): LineHost {
  return new LineHost({ stdout: out, stdin: new PassThrough(), steps, interactive: false, reason: 'stdin is not a terminal' });
}

describe('line host', () => {
  it('renders each step: start, plan, states, completion', async () => {
    const out = new Capture();
    const steps = fakeSteps();
    const host = lineHost(out, steps);
    const engine = new Engine({ steps, services: {}, host, env: { HF_TOKEN: SECRET } });
    host.attach(engine);
    const result = await engine.run();
    await host.finished();
    expect(result.result).toBe('done');
    const text = out.text;
    for (const title of ['Create the project', 'Import the models', 'Write the report']) expect(text).toContain(title);
    expect(text).toContain('plan: 1 change');
    expect(text).toContain('create Namespace demo');
    expect(text).toContain('applying');
    expect(text).toMatch(/✔ Create the project|\[COMPLETED\] Create the project/);
    expect(text).not.toContain(SECRET);
  });

  it('a failed step shows its error; steps that need it are reported not started', async () => {
    const out = new Capture();
    const steps = fakeSteps({ failModels: true });
    const host = lineHost(out, steps);
    const engine = new Engine({ steps, services: {}, host, env: { HF_TOKEN: SECRET } });
    host.attach(engine);
    const result = await engine.run();
    await host.finished();
    expect(result.result).toBe('failed');
    expect(out.text).toContain('the bucket refused the upload');
    expect(out.text).toMatch(/Write the report — not started \(needs models\)/);
  });

  it('without a TTY a missing secret is an input error naming the flag and env var (exit 2), never a prompt', async () => {
    const out = new Capture();
    const steps = fakeSteps();
    const host = lineHost(out, steps);
    const engine = new Engine({ steps, services: {}, host, env: {} });
    host.attach(engine);
    const result = await engine.run();
    await host.finished();
    expect(result.exitCode).toBe(2);
    expect(result.firstError?.message).toContain('models.hfToken');
    expect(out.text).toContain('models.hfToken');
    expect(out.text).not.toContain('?'.repeat(1) + ' Hugging Face token');
  });

  it('shows waits and progress from the event stream', async () => {
    const out = new Capture();
    const host = lineHost(out, [{ id: 'import', title: 'Import', needs: [] }] as never);
    const listeners: ((e: EngineEvent) => void)[] = [];
    host.attach({ on: (l) => (listeners.push(l), () => undefined) });
    const emit = (e: EngineEvent): void => listeners.forEach((l) => l(e));
    emit({ type: 'run-started', at: 0, steps: ['import'] });
    emit({ type: 'state', at: 0, step: 'import', state: 'applying' });
    emit({ type: 'wait', at: 0, step: 'import', what: 'ObjectBucketClaim models', currently: 'Pending' });
    emit({ type: 'progress', at: 0, step: 'import', progress: { item: 'mistral', fraction: 0.42, bytesDone: 1_200_000_000, bytesTotal: 2_900_000_000 } });
    emit({ type: 'progress', at: 0, step: 'import', progress: { item: 'mistral', fraction: 0.43, bytesDone: 1_230_000_000, bytesTotal: 2_900_000_000 } });
    emit({ type: 'diagnosis', at: 0, step: 'import', diagnosis: { summary: 'the class has region eu-west-1', fix: 'use another class' } });
    emit({ type: 'state', at: 0, step: 'import', state: 'failed', error: { code: 'wait.timeout', message: 'gave up waiting', fix: 'check the class' } });
    emit({ type: 'run-finished', at: 0, result: 'failed' });
    await host.finished();
    expect(out.text).toContain('waiting for ObjectBucketClaim models: currently Pending');
    expect(out.text).toContain('mistral: 42% 1.2 GB of 2.9 GB');
    expect(out.text).not.toContain('43%'); // throttled to 10 % steps
    expect(out.text).toContain('fix: check the class');
    expect(out.text).toContain('diagnosis: the class has region eu-west-1');
  });
});

describe('JSON host', () => {
  it('writes one parseable JSON object per event, no secret values', async () => {
    const out = new Capture();
    const host = new JsonHost(out);
    const steps = fakeSteps();
    const engine = new Engine({ steps, services: {}, host, env: { HF_TOKEN: SECRET } });
    host.attach(engine);
    await engine.run();
    const events = out.lines().map((l) => JSON.parse(l) as EngineEvent);
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', result: 'done' });
    expect(events.filter((e) => e.type === 'state' && e.state === 'done').map((e) => (e as { step: string }).step)).toEqual(['project', 'models', 'report']);
    expect(out.text).not.toContain(SECRET);
    expect(host.interactive).toBe(false);
  });
});

describe('test host', () => {
  it('answers forms from its script and records calls and events', async () => {
    const steps = fakeSteps();
    const host = new TestHost({ inputs: { project: { namespace: 'team-b' }, models: { hfToken: SECRET } } });
    const engine = new Engine({ steps, services: {}, host });
    host.attach(engine);
    const result = await engine.run();
    expect(result.result).toBe('done');
    expect(result.outputs['project']).toEqual({ namespace: 'team-b' });
    expect(host.calls.filter((c) => c.kind === 'confirmPlan')).toHaveLength(3);
    expect(host.events.some((e) => e.type === 'run-finished')).toBe(true);
    expect(JSON.stringify(host.calls)).not.toContain(SECRET);
  });
});

describe('unattended host', () => {
  it('takes defaults and refuses questions that need a person, naming why', async () => {
    const host = new UnattendedHost('stdin is not a terminal');
    await expect(host.ask('sso', { kind: 'confirm', id: 'idp', message: 'Add an identity provider?', default: false })).resolves.toBe(false);
    await expect(host.ask('3scale', { kind: 'checkpoint', id: 'tz', title: 'Set the timezone', body: '...' })).rejects.toThrow(
      /needs a person to answer, but stdin is not a terminal/,
    );
  });
});

describe('host choice', () => {
  const io = (tty: boolean, env: NodeJS.ProcessEnv = {}): CliIo => ({
    stdout: { write: () => true, isTTY: tty },
    stderr: { write: () => true },
    stdin: Object.assign(new PassThrough(), { isTTY: tty }),
    env,
  });
  it.each([
    [true, {}, {}, 'ink', true],
    [true, { CI: 'true' }, {}, 'line', false],
    [false, {}, {}, 'line', false],
    [true, {}, { plain: true }, 'line', true],
    [true, {}, { plain: true, yes: true }, 'line', false],
    [true, {}, { output: 'json' }, 'json', false],
    [false, {}, { output: 'json' }, 'json', false],
  ] as const)('tty=%s env=%j flags=%j → %s (interactive %s)', (tty, env, flags, kind, interactive) => {
    const c = chooseHost(io(tty, { ...env }), flags);
    expect(c.kind).toBe(kind);
    expect(c.interactive).toBe(interactive);
  });
});
