import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import { sampleProgress, writeProgress } from './progress-fixture.js';

describe('maas-wizard usage', () => {
  it('--version prints the package version and exits 0', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.text.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('--help lists the commands and the global options', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    for (const word of ['plan', 'status', 'retry', 'reset', 'sim', '--kubeconfig', '--demo', '--answers', '--demo-speed', '--scenario', '--plain', '--output', '--concurrency', '--ingress-address']) {
      expect(r.stdout.text).toContain(word);
    }
  });

  it.each(['plan', 'status', 'retry', 'reset', 'sim'])('%s --help describes the command and shows the global options', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.text).toContain(`maas-wizard ${cmd}`);
    expect(r.stdout.text).toContain('--demo');
  });

  it('sim --help lists its own options', async () => {
    const r = await runCli(['sim', '--help']);
    for (const flag of ['--port', '--state-dir', '--kubeconfig-out', '--timing', '--speed', '--record']) expect(r.stdout.text).toContain(flag);
  });

  it('an unknown flag exits 2 with the usage line', async () => {
    const r = await runCli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain("unknown option '--frobnicate'");
    expect(r.stderr.text).toMatch(/usage: maas-wizard \[options\]/);
  });

  it('an unknown flag after a subcommand names that command in the usage line', async () => {
    const r = await runCli(['status', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain("unknown option '--nope'");
    expect(r.stderr.text).toContain('usage: maas-wizard status');
  });

  it.each([
    [['--demo', '--demo-speed', 'fast'], '--demo-speed'],
    [['--demo', '--demo-speed', '0'], '--demo-speed'],
    [['--demo', '--demo-timing', 'slow'], '--demo-timing'],
    [['--concurrency', '0'], '--concurrency'],
    [['--ingress-address', 'nohost'], '--ingress-address'],
    [['--output', 'xml'], '--output'],
    [['sim', '--port', 'x'], '--port'],
  ])('bad value %j exits 2 naming %s', async (argv, flag) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain(flag);
    expect(r.stderr.text).toMatch(/usage: maas-wizard/);
  });

  it('a missing argument of retry exits 2', async () => {
    const r = await runCli(['retry']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain("missing required argument 'step'");
  });

  it('demo-only flags without --demo exit 2 with the fix', async () => {
    const r = await runCli(['--demo-timing', 'instant', 'plan']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('--demo-timing only applies to the simulated cluster');
    expect(r.stderr.text).toContain('fix: add --demo');
  });
});

describe('answers file through the CLI', () => {
  it('a bad answers file exits 2 pointing at each key, and the progress file is unchanged', async () => {
    const home = tempDir();
    const file = writeProgress(home, 'lab', sampleProgress());
    const before = readFileSync(file, 'utf8');
    writeFileSync(join(home, 'answers.yaml'), 'project:\n  namespace: Foo\n  colour: blue\nnope:\n  x: 1\n');
    const r = await runCli(['plan', '--profile', 'lab', '--answers', 'answers.yaml'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('error: answers.yaml:2 project.namespace: invalid value "Foo": must be a lowercase RFC 1123 label');
    expect(r.stderr.text).toContain('answers.yaml:3 project.colour: unknown key "colour"');
    expect(r.stderr.text).toContain('answers.yaml:4 nope: unknown step "nope"');
    expect(r.stderr.text).toContain('fix: ');
    expect(r.stderr.text).not.toMatch(/\n\s+at /);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('a missing answers file exits 2 naming --answers', async () => {
    const r = await runCli(['plan', '--profile', 'lab', '--answers', 'missing.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toMatch(/error: --answers .*missing\.yaml: cannot read the answers file \(ENOENT\)/);
  });
});
