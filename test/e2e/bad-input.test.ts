/**
 * Bad input, end to end: each is refused with exit 2 and a message naming what to fix, before
 * anything changes (the saved progress stays byte for byte the same). An empty progress file is
 * not bad input: it is moved aside with a notice and the run goes on.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { allSteps } from '../../steps/index.js';
import { runCli, tempDir } from '../cli/helpers.js';
import type { RunOutcome } from '../cli/helpers.js';
import { demoProgressFile, localImportAnswers, readStatus, readText, runDemo, tail } from './helpers.js';

describe('bad input end to end', () => {
  /** A demo home whose progress file was empty before the first run (set up once, then shared). */
  let home = '';
  let first: RunOutcome;
  beforeAll(async () => {
    home = tempDir('maas-e2e-');
    mkdirSync(join(home, 'profiles'), { recursive: true });
    writeFileSync(demoProgressFile(home), '');
    first = await runDemo(['--answers', localImportAnswers(home)], { home });
  });

  it('an empty progress file is moved aside with a notice and the run continues to done', async () => {
    expect(first.stderr.text).toMatch(/^notice: .*empty file.*$/m);
    expect(first.code, tail(first)).toBe(0);
    const aside = readdirSync(join(home, 'profiles')).filter((f) => f.startsWith('demo.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(readText(join(home, 'profiles', aside[0]!))).toBe('');
    const status = await readStatus(home);
    // Every step of the graph (steps/index.ts for the default models), each done.
    expect(status.steps.map((s) => s.step).sort()).toEqual(allSteps().map((s) => s.id).sort());
    expect(status.steps.filter((s) => s.state !== 'done')).toEqual([]);
  });

  it.each([
    ['binary', Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x50, 0x4b, 0x03, 0x04]), /binary content/],
    ['truncated', 'half', /not valid JSON \(truncated\?\)/],
    ['not an object', Buffer.from('[1, 2, 3]\n'), /not a JSON object/],
  ] as const)('a %s progress file is moved aside byte for byte with a notice naming both files, and the run goes on', async (_kind, content, why) => {
    const file = demoProgressFile(home);
    const bytes = content === 'half' ? readFileSync(file).subarray(0, Math.floor(readFileSync(file).length / 2)) : content;
    writeFileSync(file, bytes);
    const asideBefore = new Set(readdirSync(join(home, 'profiles')));
    const r = await runCli(['retry', 'preflight', '--demo', '--yes', '--demo-timing', 'instant'], { home, input: '' });
    expect(r.code, tail(r)).toBe(0);
    const aside = readdirSync(join(home, 'profiles')).filter((f) => f.startsWith('demo.json.corrupt-') && !asideBefore.has(f));
    expect(aside).toHaveLength(1);
    expect(r.stderr.text).toContain(`notice: progress file ${file} could not be read (`);
    expect(r.stderr.text).toMatch(why);
    expect(r.stderr.text).toContain(`moved it aside to ${join(home, 'profiles', aside[0]!)}`);
    expect(readFileSync(join(home, 'profiles', aside[0]!)).equals(Buffer.from(bytes))).toBe(true);
    expect((await readStatus(home)).steps.find((s) => s.step === 'preflight')?.state).toBe('done');
  });

  /** Runs `argv` on the shared home and checks: exit 2, progress unchanged, nothing on stdout claims a run. */
  async function refused(argv: string[]): Promise<RunOutcome> {
    const before = readText(demoProgressFile(home));
    const r = await runCli(argv, { home, input: '' });
    expect(r.code, r.stderr.text).toBe(2);
    expect(readText(demoProgressFile(home))).toBe(before);
    expect(r.stdout.text).not.toMatch(/steps: \d+ done/);
    expect(r.stderr.text).not.toMatch(/unexpected error|internal error|at .*\.ts:\d+/);
    return r;
  }

  it('an invalid namespace in the answers file: exit 2 pointing at the file, line and key', async () => {
    writeFileSync(join(home, 'bad.yaml'), stringify({ project: { namespace: 'LLM_Hosting' } }));
    const r = await refused(['--demo', '--yes', '--demo-timing', 'instant', '--answers', 'bad.yaml']);
    expect(r.stderr.text).toMatch(/bad\.yaml:2 project\.namespace: invalid value "LLM_Hosting"/);
    expect(r.stderr.text).toMatch(/^fix: /m);
  });

  it('an unknown flag: exit 2 naming the flag and where the options are listed', async () => {
    const r = await refused(['--demo', '--yes', '--frobnicate']);
    expect(r.stderr.text).toContain("unknown option '--frobnicate'");
    expect(r.stderr.text).toMatch(/maas-wizard --help/);
  });

  it('a non-numeric --demo-speed: exit 2 naming the flag and an example', async () => {
    const r = await refused(['--demo', '--yes', '--demo-speed', 'fast']);
    expect(r.stderr.text).toContain('--demo-speed takes a number greater than 0');
    expect(r.stderr.text).toMatch(/--demo-speed 60/);
  });

  it('a kubeconfig without the context named by --context: exit 2 naming the context and the ones there are', async () => {
    const kubeconfig = join(home, 'kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'lab', cluster: { server: 'https://127.0.0.1:9' } }],
        users: [{ name: 'dev', user: { token: 'sha256~not-a-real-token' } }],
        contexts: [{ name: 'lab', context: { cluster: 'lab', user: 'dev' } }],
        'current-context': 'lab',
      }),
    );
    const r = await refused(['--kubeconfig', kubeconfig, '--context', 'staging', '--profile', 'demo', '--yes']);
    expect(r.stderr.text).toContain(`context "staging" is not in ${kubeconfig}; available contexts: lab`);
    expect(r.stderr.text).toMatch(/^fix: .*--context .*lab/m);
    expect(r.stderr.text).not.toContain('not-a-real-token');
    expect(existsSync(join(home, 'profiles', 'demo.json'))).toBe(true);
  });
});
