/**
 * `maas-wizard destroy` before it touches a cluster: the plan from a progress file, the question on
 * a terminal, the refusal without one, and the usage errors (no cluster needed: the plan is built
 * from the file alone).
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Capture, runCli, tempDir, until } from '../../cli/helpers.js';
import { sampleProgress, writeProgress } from '../../cli/progress-fixture.js';

describe('maas-wizard destroy (plan and confirmation)', () => {
  it('on a terminal it shows the plan and asks; answering no deletes nothing and exits 1', async () => {
    const home = tempDir();
    const file = writeProgress(home, 'lab', sampleProgress());
    const before = readFileSync(file, 'utf8');
    const stdin = new PassThrough();
    const stdout = new Capture(true);
    const run = runCli(['destroy', '--profile', 'lab'], { home, tty: true, stdin, stdout });
    await until(() => stdout.text.includes('Tear down these 2 steps?'), 'the question');
    expect(stdout.text).toContain('  project\n    - Namespace llm-hosting (and everything left in it) [asked]');
    expect(stdout.text).toContain('  preflight — nothing to delete: it only read the cluster');
    stdin.write('n');
    stdin.write('\r');
    const r = await run;
    expect(r.code).toBe(1);
    expect(r.stdout.text).toContain('nothing was deleted');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('without a terminal and without --yes: exit 2, the fix names --yes', async () => {
    const home = tempDir();
    writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['destroy', '--profile', 'lab', '--delete-data'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('fix: add --yes to confirm: maas-wizard destroy --yes --delete-data');
  });

  it('an unknown --step is exit 2 listing the steps', async () => {
    const home = tempDir();
    writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['destroy', '--profile', 'lab', '--step', 'projct', '--yes'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('there is no step "projct"');
    expect(r.stderr.text).toMatch(/use one of: .*threescale\.product\.mistral-7b-instruct/);
  });

  it('with nothing recorded there is nothing to tear down (exit 0, no cluster needed)', async () => {
    const home = tempDir();
    const r = await runCli(['destroy', '--profile', 'empty', '--yes'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout.text).toMatch(/^nothing to tear down: no step is recorded in /);
  });
});
