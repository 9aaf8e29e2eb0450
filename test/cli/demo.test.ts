/**
 * End to end against the simulated cluster: `maas-wizard --demo` with the real steps, through
 * `main()` in-process. Switches on once src/sim/index.ts and steps/index.ts exist.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Capture, runCli, tempDir, until } from './helpers.js';

const root = join(import.meta.dirname, '../..');
const ready = existsSync(join(root, 'src/sim/index.ts')) && existsSync(join(root, 'steps/index.ts'));
if (!ready) console.warn('skipped: the simulation (src/sim/index.ts) or the steps (steps/index.ts) are not there yet');

describe.skipIf(!ready)('maas-wizard --demo', () => {
  it('without a TTY (echo | maas-wizard --demo) it runs in line mode and never prompts', async () => {
    const r = await runCli(['--demo', '--demo-timing', 'instant'], { input: '\n' });
    expect(r.stderr.text).not.toMatch(/Raw mode|unexpected error|internal error/);
    expect([0, 1, 2]).toContain(r.code);
    expect(r.stdout.text).toMatch(/steps: \d+ done/);
    expect(r.stdout.text).not.toMatch(/^\? /m); // no prompt was shown
  });

  it('keeps the demo state and the demo profile: status reads it without a cluster', async () => {
    const first = await runCli(['--demo', '--demo-timing', 'instant'], { input: '' });
    expect(existsSync(join(first.home, 'demo-state'))).toBe(true);
    const s = await runCli(['status', '--demo', '--output', 'json'], { home: first.home });
    expect(s.code).toBe(0);
    const status = JSON.parse(s.stdout.text) as { profile: { name: string }; steps: { step: string; state: string }[] };
    expect(status.profile.name).toBe('demo');
    expect(status.steps.find((x) => x.step === 'preflight')?.state).toBe('done');
  });

  it('an unknown --scenario is exit 2 naming the flag and the known scenarios', async () => {
    const r = await runCli(['--demo', '--scenario', 'no-such-thing']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('--scenario: unknown scenario "no-such-thing"');
    expect(r.stderr.text).toMatch(/fix: use one of: .*no-rwx-class/);
    expect(r.stderr.text).toContain('usage: maas-wizard [options] [command]');
  });

  it('sim --list-scenarios lists each scenario with its description', async () => {
    const r = await runCli(['sim', '--list-scenarios']);
    expect(r.code).toBe(0);
    expect(r.stdout.text).toMatch(/^no-rwx-class\s+\S.*$/m);
  });

  it('sim serves until interrupted and writes a kubeconfig', async () => {
    const dir = tempDir();
    let interrupt: (() => void) | undefined;
    const stdout = new Capture();
    const run = runCli(['sim', '--kubeconfig-out', 'k.yaml', '--timing', 'instant'], { cwd: dir, stdout, onInterrupt: (h) => (interrupt = h) });
    await until(() => stdout.text.includes('Ctrl-C'), 'the simulation to start');
    const kubeconfig = parse(readFileSync(join(dir, 'k.yaml'), 'utf8')) as { clusters: { cluster: { server: string } }[] };
    expect(kubeconfig.clusters[0]?.cluster.server).toMatch(/^https?:\/\/127\.0\.0\.1:\d+$/);
    interrupt?.();
    expect((await run).code).toBe(0);
  });
});
