/**
 * The built CLI as a child process (bin/maas-wizard.js → dist/src/cli/main.js): builds dist
 * first only when it is missing or older than src/cli.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '../..');
const built = join(root, 'dist/src/cli/main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

beforeAll(async () => {
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource(join(root, 'src/cli'))) {
    // tsc emits even when other areas have type errors; the CLI's own files typecheck.
    await run('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root }).catch(() => undefined);
  }
}, 120_000);

/** Prints `LOADED <url>` on stderr for every module of ink, react, client-node or the simulation. */
const TRACE = `data:text/javascript,import {registerHooks} from "node:module"; registerHooks({resolve(s,c,n){const r=n(s,c); if(/node_modules\\/(ink|react|@kubernetes)\\/|\\/src\\/sim\\/|\\/src\\/ui\\//.test(r.url)) process.stderr.write("LOADED "+r.url+"\\n"); return r;}})`;

describe('the built maas-wizard', () => {
  it.each([['--version'], ['--help'], ['status', '--help']])('%s loads no Ink, React, client-node or simulation module', async (...argv) => {
    const r = await run(process.execPath, ['--import', TRACE, 'bin/maas-wizard.js', ...argv], { cwd: root });
    expect(r.stdout).toMatch(argv[0] === '--version' ? /^\d+\.\d+\.\d+\n$/ : /Usage: maas-wizard/);
    expect(r.stderr).not.toContain('LOADED');
  });

  it('the trace does see those modules when a command loads them (so the check above can fail)', async () => {
    const home = tempDir();
    const r = await run(process.execPath, ['--import', TRACE, 'bin/maas-wizard.js', 'status', '--profile', 'x'], {
      cwd: root,
      env: { ...process.env, MAAS_WIZARD_HOME: home },
    });
    expect(r.stderr).toContain('LOADED');
  });

  it('an unknown flag exits 2', async () => {
    const r = await run(process.execPath, ['bin/maas-wizard.js', '--bogus'], { cwd: root }).catch((e: { code: number; stderr: string }) => e);
    expect((r as { code: number }).code).toBe(2);
    expect((r as { stderr: string }).stderr).toContain("unknown option '--bogus'");
  });

  it.skipIf(!existsSync(join(root, 'src/sim/index.ts')))('echo | maas-wizard --demo runs in line mode without crashing', async () => {
    const home = tempDir();
    const child = spawn(process.execPath, ['bin/maas-wizard.js', '--demo', '--demo-timing', 'instant'], {
      cwd: root,
      env: { ...process.env, MAAS_WIZARD_HOME: home, CI: '', NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end('\n');
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(err).not.toMatch(/Raw mode|unexpected error|\n\s+at /);
    expect([0, 1]).toContain(code);
    expect(out).toMatch(/steps: \d+ done/);
  });
});
