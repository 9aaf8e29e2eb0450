import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/engine/errors.js';
import { openProgress, profileSlug } from '../../src/engine/progress.js';
import type { ProgressStore } from '../../src/engine/progress.js';
import type { EngineEvent } from '../../src/engine/types.js';

let dir: string;
const open: ProgressStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'maas-progress-'));
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openP(profile = 'lab', extra: { server?: string; notices?: string[] } = {}): Promise<ProgressStore> {
  const s = await openProgress({
    dir,
    profile,
    wizardVersion: '0.1.0',
    ...(extra.server ? { server: extra.server } : {}),
    onNotice: (m) => extra.notices?.push(m),
  });
  open.push(s);
  return s;
}

async function closeP(s: ProgressStore): Promise<void> {
  await s.close();
  open.splice(open.indexOf(s), 1);
}

/** The pid of a process that ran and exited (so no process has it, barring reuse). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise<void>((done) => child.on('exit', () => done()));
  return child.pid ?? 0;
}

const profileFile = (slug: string) => path.join(dir, 'profiles', `${slug}.json`);
const at = Date.parse('2026-11-30T10:00:00Z');

const run: EngineEvent[] = [
  { type: 'inputs', at, step: 'storage', inputs: { storageClass: 'ocs-storagecluster-ceph-rgw' } },
  { type: 'state', at, step: 'storage', state: 'ready' },
  { type: 'state', at, step: 'storage', state: 'planning' },
  { type: 'plan', at, step: 'storage', changes: [{ action: 'create', target: 'ObjectBucketClaim llm-hosting/models' }], hash: 'abc123' },
  { type: 'state', at, step: 'storage', state: 'applying' },
  { type: 'state', at, step: 'storage', state: 'verifying' },
  { type: 'outputs', at, step: 'storage', outputs: { bucket: 'models-1234' } },
  { type: 'state', at, step: 'storage', state: 'done' },
  { type: 'state', at, step: 'serving', state: 'ready' },
  { type: 'state', at: at + 5000, step: 'serving', state: 'failed', error: { code: 'wait.timeout', message: 'gave up', step: 'serving', phase: 'verify' } },
  { type: 'progress', at, step: 'import', progress: { fraction: 0.5 } },
];

describe('progress store', () => {
  it('round trip: inputs, states, plan hash, outputs and attempts survive close and reopen', async () => {
    const s = await openP('lab', { server: 'https://api.example.com:6443' });
    for (const e of run) s.record(e);
    expect(s.path).toBe(profileFile('lab'));
    await closeP(s);

    const again = await openP('lab');
    expect(again.inputs('storage')).toEqual({ storageClass: 'ocs-storagecluster-ceph-rgw' });
    expect(again.stepRecord('storage')).toMatchObject({ state: 'done', planHash: 'abc123', outputs: { bucket: 'models-1234' } });
    expect(again.stepRecord('storage')?.attempts).toEqual([
      { startedAt: '2026-11-30T10:00:00.000Z', endedAt: '2026-11-30T10:00:00.000Z', state: 'done' },
    ]);
    expect(again.stepRecord('serving')?.attempts[0]).toEqual({
      startedAt: '2026-11-30T10:00:00.000Z',
      endedAt: '2026-11-30T10:00:05.000Z',
      state: 'failed',
      error: { code: 'wait.timeout', message: 'gave up', phase: 'verify' },
    });
    expect(again.stepRecord('import')).toBeUndefined();
    const all = again.all();
    expect(all).toMatchObject({ schemaVersion: 1, wizardVersion: '0.1.0', profile: { name: 'lab', server: 'https://api.example.com:6443' } });
  });

  it('a second attempt is appended; forget removes a step for "reset STEP"', async () => {
    const s = await openP();
    s.record({ type: 'state', at, step: 'a', state: 'ready' });
    s.record({ type: 'state', at, step: 'a', state: 'failed', error: { code: 'error', message: 'x' } });
    s.record({ type: 'state', at, step: 'a', state: 'ready' });
    s.record({ type: 'state', at, step: 'a', state: 'done' });
    s.setInputs('a', { k: 1 });
    expect(s.stepRecord('a')?.attempts.map((x) => x.state)).toEqual(['failed', 'done']);
    s.forget(['a']);
    expect(s.stepRecord('a')).toBeUndefined();
    expect(s.inputs('a')).toEqual({ k: 1 });
    s.forget(['a'], { inputs: true });
    expect(s.inputs('a')).toBeUndefined();
    expect(JSON.parse(readFileSync(s.path, 'utf8')).steps).toEqual({});
  });

  it('writes atomically after every transition: the file always parses and holds the latest state', async () => {
    const s = await openP();
    for (const e of run) {
      s.record(e);
      const onDisk = JSON.parse(readFileSync(s.path, 'utf8'));
      if (e.type === 'state') expect(onDisk.steps[e.step].state).toBe(e.state);
    }
    // No temporary files are left next to it.
    expect(readdirSync(path.dirname(s.path)).sort()).toEqual(['lab.json', 'lab.json.lock', 'lab.json.pid']);
  });

  it.each([
    ['corrupt', '{"schemaVersion": 1, "steps": {"a": '],
    ['empty', ''],
    ['binary', Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x00, 0x9f])],
    ['truncated', JSON.stringify({ schemaVersion: 1, wizardVersion: '0.1.0', profile: { name: 'lab' }, inputs: {}, steps: {} }).slice(0, 40)],
    ['wrong shape', JSON.stringify({ schemaVersion: 1, steps: 'nope' })],
  ])('a %s file is moved aside with a notice and an empty progress begins', async (_kind, content) => {
    mkdirSync(path.join(dir, 'profiles'), { recursive: true });
    writeFileSync(profileFile('lab'), content);
    const notices: string[] = [];
    const s = await openP('lab', { notices });
    expect(s.all().steps).toEqual({});
    expect(notices).toHaveLength(1);
    const aside = readdirSync(path.join(dir, 'profiles')).filter((f) => f.startsWith('lab.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(notices[0]).toContain(aside[0]);
    expect(readFileSync(path.join(dir, 'profiles', aside[0] as string))).toEqual(Buffer.from(content));
    expect(JSON.parse(readFileSync(s.path, 'utf8')).schemaVersion).toBe(1);
  });

  it('refuses a file from a newer schema version, naming the file, and leaves it alone', async () => {
    mkdirSync(path.join(dir, 'profiles'), { recursive: true });
    const newer = JSON.stringify({ schemaVersion: 2, steps: {} });
    writeFileSync(profileFile('lab'), newer);
    const err = await openP('lab').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('progress.newer');
    expect((err as UserError).usage).toBe(true);
    expect((err as UserError).message).toContain(profileFile('lab'));
    expect((err as UserError).message).toContain('upgrade maas-wizard or use --profile');
    expect(readFileSync(profileFile('lab'), 'utf8')).toBe(newer);
    // The lock was released: a fixed file can be opened right away.
    writeFileSync(profileFile('lab'), '');
    await expect(openP('lab')).resolves.toBeDefined();
  });

  it('migrates a version-0 file to version 1 with a notice', async () => {
    mkdirSync(path.join(dir, 'profiles'), { recursive: true });
    writeFileSync(
      profileFile('lab'),
      JSON.stringify({
        wizardVersion: '0.0.9',
        profile: 'lab',
        server: 'https://api.old.example.com:6443',
        answers: { project: { namespace: 'llm-hosting' } },
        steps: { project: { state: 'done', outputs: { namespace: 'llm-hosting' } } },
      }),
    );
    const notices: string[] = [];
    const s = await openP('lab', { notices });
    expect(notices).toEqual([expect.stringContaining('migrated from schema version 0 to 1')]);
    expect(s.inputs('project')).toEqual({ namespace: 'llm-hosting' });
    expect(s.stepRecord('project')).toMatchObject({ state: 'done', outputs: { namespace: 'llm-hosting' }, attempts: [] });
    const onDisk = JSON.parse(readFileSync(s.path, 'utf8'));
    expect(onDisk.schemaVersion).toBe(1);
    expect(onDisk.wizardVersion).toBe('0.1.0');
    expect(onDisk.profile).toEqual({ name: 'lab', server: 'https://api.old.example.com:6443' });
  });

  it('reports a step left applying by an interrupted wizard as cancelled', async () => {
    const s = await openP();
    s.record({ type: 'state', at, step: 'serving', state: 'ready' });
    s.record({ type: 'state', at, step: 'serving', state: 'applying' });
    s.record({ type: 'state', at, step: 'project', state: 'ready' });
    s.record({ type: 'state', at, step: 'project', state: 'done' });
    await closeP(s);
    const again = await openP();
    expect(again.stepRecord('serving')?.state).toBe('cancelled');
    expect(again.stepRecord('serving')?.attempts.at(-1)).toMatchObject({ state: 'cancelled', endedAt: expect.any(String) });
    expect(again.stepRecord('project')?.state).toBe('done');
  });

  it('a second open of the same profile is refused until the first closes', async () => {
    const first = await openP('lab');
    const err = await openP('lab').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe('progress.locked');
    expect((err as UserError).message).toBe(
      `another maas-wizard is running on profile lab (pid ${process.pid}); wait for it or use --profile`,
    );
    // Another profile is not affected.
    await expect(openP('other')).resolves.toBeDefined();
    await closeP(first);
    expect(existsSync(`${profileFile('lab')}.lock`)).toBe(false);
    await expect(openP('lab')).resolves.toBeDefined();
  });

  it('takes over the lock of a wizard that died (lock older than the stale time)', async () => {
    mkdirSync(path.join(dir, 'profiles'), { recursive: true });
    const lockDir = `${profileFile('lab')}.lock`;
    mkdirSync(lockDir);
    const old = new Date(Date.now() - 120_000);
    utimesSync(lockDir, old, old);
    await expect(openP('lab')).resolves.toBeDefined();
  });

  it('takes over at once the lock of a wizard killed with SIGKILL (its pid is gone), with a notice', async () => {
    mkdirSync(path.join(dir, 'profiles'), { recursive: true });
    const file = profileFile('lab');
    // A child locks the profile as openProgress does and writes its pid file, then is SIGKILLed.
    const script = `const l=require('proper-lockfile');const fs=require('fs');const os=require('os');l.lock(${JSON.stringify(file)},{realpath:false,stale:30000,update:10000}).then(()=>{fs.writeFileSync(${JSON.stringify(`${file}.pid`)},process.pid+'\\n'+os.hostname()+'\\n');console.log('locked');setInterval(()=>{},1000);});`;
    const holder = spawn(process.execPath, ['-e', script], { cwd: path.resolve(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((done, fail) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && done());
      holder.on('exit', () => fail(new Error('the holder exited before locking')));
    });
    // While it lives, the profile is refused naming its pid.
    const err = await openP('lab').catch((e: unknown) => e);
    expect((err as UserError).message).toContain(`(pid ${holder.pid})`);
    await new Promise<void>((done) => {
      holder.on('exit', () => done());
      holder.kill('SIGKILL');
    });
    expect(existsSync(`${file}.lock`)).toBe(true);
    const notices: string[] = [];
    const s = await openP('lab', { notices });
    expect(notices).toEqual([`profile lab was locked by maas-wizard pid ${holder.pid}, which no longer runs; took the lock over`]);
    expect(readFileSync(`${file}.pid`, 'utf8')).toBe(`${process.pid}\n${hostname()}\n`);
    // The lock is ours now: a second open is refused.
    expect(((await openP('lab').catch((e: unknown) => e)) as UserError).code).toBe('progress.locked');
    await closeP(s);
  });

  it('keeps refusing a fresh lock whose pid file names a live process, another host, or nothing', async () => {
    mkdirSync(path.join(dir, 'profiles'), { recursive: true });
    const file = profileFile('lab');
    mkdirSync(`${file}.lock`);
    const refusal = async (): Promise<string> => ((await openP('lab').catch((e: unknown) => e)) as UserError).code;
    expect(await refusal()).toBe('progress.locked'); // no pid file: unknown holder
    writeFileSync(`${file}.pid`, `${process.ppid}\n${hostname()}\n`); // alive
    expect(await refusal()).toBe('progress.locked');
    const dead = await deadPid();
    writeFileSync(`${file}.pid`, `${dead}\nanother-host.example\n`); // cannot be checked from here
    expect(await refusal()).toBe('progress.locked');
    // The same dead pid on this host (or a pid file without a host line): taken over.
    writeFileSync(`${file}.pid`, `${dead}\n`);
    await expect(openP('lab')).resolves.toBeDefined();
  });

  it('derives the profile file from the API server URL when no profile is given', async () => {
    expect(profileSlug('', 'https://api.example.com:6443')).toBe('https___api.example.com_6443');
    expect(profileSlug('my lab/../x', undefined)).toBe('my_lab_.._x');
    expect(profileSlug('', undefined)).toBe('default');
    expect(profileSlug('.hidden', undefined)).toBe('_hidden');
    expect(profileSlug('a'.repeat(300), undefined).length).toBeLessThanOrEqual(100);
    const s = await openP('', { server: 'https://api.example.com:6443' });
    expect(s.path).toBe(profileFile('https___api.example.com_6443'));
    expect(s.profile).toEqual({ name: 'https___api.example.com_6443', server: 'https://api.example.com:6443' });
  });
});
