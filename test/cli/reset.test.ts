import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Capture, runCli, tempDir, until } from './helpers.js';
import { readJson, sampleProgress, writeProgress } from './progress-fixture.js';

describe('maas-wizard reset', () => {
  it('without a terminal and without --yes it refuses (exit 2) and changes nothing', async () => {
    const home = tempDir();
    const file = writeProgress(home, 'lab', sampleProgress());
    const before = readFileSync(file, 'utf8');
    const r = await runCli(['reset', 'project', '--profile', 'lab'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('reset asks before forgetting project');
    expect(r.stderr.text).toContain('fix: add --yes to confirm: maas-wizard reset project --yes');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('--yes forgets the step and every step that needs it, keeping saved inputs', async () => {
    const home = tempDir();
    const file = writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['reset', 'preflight', '--profile', 'lab', '--yes'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout.text).toContain('forgot preflight, project');
    const after = readJson(file);
    expect(Object.keys(after.steps)).toEqual([]);
    expect(after.inputs).toEqual({ project: { namespace: 'llm-hosting' } });
  });

  it('forgets only the step when nothing needs it', async () => {
    const home = tempDir();
    const file = writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['reset', 'project', '--profile', 'lab', '-y'], { home });
    expect(r.code).toBe(0);
    expect(Object.keys(readJson(file).steps)).toEqual(['preflight']);
  });

  it('an unknown step is exit 2 listing the steps', async () => {
    const home = tempDir();
    writeProgress(home, 'lab', sampleProgress());
    const r = await runCli(['reset', 'projct', '--profile', 'lab', '--yes'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr.text).toContain('there is no step "projct"');
    expect(r.stderr.text).toMatch(/fix: use one of: .*preflight.*project/);
  });

  it.each([
    ['n', 1, false],
    ['y', 0, true],
  ])('on a terminal it asks first; answering %s → exit %i', async (key, code, forgotten) => {
    const home = tempDir();
    const file = writeProgress(home, 'lab', sampleProgress());
    const stdin = new PassThrough();
    const stdout = new Capture(true);
    const run = runCli(['reset', 'project', '--profile', 'lab'], { home, tty: true, stdin, stdout });
    await until(() => stdout.text.includes('Forget the progress of project?'), 'the question');
    stdin.write(key);
    stdin.write('\r'); // Enter as its own write

    const r = await run;
    expect(r.code).toBe(code);
    expect(Object.keys(readJson(file).steps).includes('project')).toBe(!forgotten);
    expect(r.stdout.text).toContain(forgotten ? 'forgot project' : 'nothing was reset');
  });
});
