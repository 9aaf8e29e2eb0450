/**
 * Bad input, table-driven (issue #10 item 2): every input the wizard reads before it touches a
 * cluster (flags, the answers file and each step's inputs in it, kubeconfig files, the progress
 * file) refused with exit 2, a message naming the field (`<step>.<key>`, the flag or the file) and
 * a `fix:` line, and the saved progress byte for byte as it was. No simulation runs here: every row
 * is refused before the first request (cases a cluster must find are in bad-input-cluster.test.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli, tempDir } from '../cli/helpers.js';
import { sampleProgress, writeProgress } from '../cli/progress-fixture.js';
import { BAD_INPUT_CASES, NEWER_PROGRESS } from './bad-input-cases.js';
import type { BadInputCase } from './bad-input-cases.js';
import { readText } from './helpers.js';

describe('bad input is refused before any cluster work: exit 2, field and fix named, progress unchanged', () => {
  /** One home for every row, holding a demo progress file (hand-made: a run that went wrong would rewrite it). */
  let home = '';
  let progress = '';
  beforeAll(() => {
    home = tempDir('maas-bad-input-');
    progress = writeProgress(home, 'demo', sampleProgress('demo'));
  });

  it('has at least 40 rows and covers every input source', () => {
    expect(BAD_INPUT_CASES.length).toBeGreaterThanOrEqual(40);
    const sources = new Set(BAD_INPUT_CASES.map((c) => c.source));
    expect([...sources].sort()).toEqual(['answers', 'flag', 'kubeconfig', 'step-input'].sort());
    expect(new Set(BAD_INPUT_CASES.map((c) => c.name)).size).toBe(BAD_INPUT_CASES.length);
  });

  it.each(BAD_INPUT_CASES.map((c) => [c.name, c] as const))('%s', async (_name, row: BadInputCase) => {
    const files = row.files?.(home) ?? {};
    for (const [name, content] of Object.entries(files)) writeFileSync(join(home, name), content);
    const argv = typeof row.argv === 'function' ? row.argv(home) : row.argv;
    const before = readText(progress);
    const r = await runCli(argv, { home, input: '', ...(row.env ? { env: row.env(home) } : {}) });
    const shown = `argv: ${argv.join(' ')}\n--- stderr\n${r.stderr.text}\n--- stdout\n${r.stdout.text.slice(-2000)}`;
    expect(r.code, shown).toBe(2);
    expect(r.stderr.text, shown).toMatch(row.field);
    expect(r.stderr.text, shown).toMatch(/^(fix|usage): /m);
    if (row.fix) expect(r.stderr.text, shown).toMatch(row.fix);
    expect(r.stderr.text, shown).not.toMatch(/unexpected error|internal error|at .*\.[jt]s:\d+/);
    for (const secret of row.secrets ?? []) expect(r.stderr.text + r.stdout.text).not.toContain(secret);
    expect(r.stdout.text, shown).not.toMatch(/steps: \d+ done/);
    expect(readText(progress), 'the saved progress changed').toBe(before);
  });

  it('a progress file from a newer wizard: exit 2 naming the file and the fix, and the file untouched', async () => {
    const newer = writeProgress(home, 'newer', NEWER_PROGRESS);
    const before = readText(newer);
    writeFileSync(join(home, 'ok.yaml'), stringify({ project: { namespace: 'llm-hosting' } }));
    const r = await runCli(['--demo', '--yes', '--demo-timing', 'instant', '--profile', 'newer', '--answers', 'ok.yaml'], { home, input: '' });
    expect(r.code, r.stderr.text).toBe(2);
    expect(r.stderr.text).toMatch(/newer\.json was written by a newer maas-wizard \(progress schema version 99/);
    expect(r.stderr.text).toMatch(/upgrade maas-wizard or use --profile/);
    expect(readText(newer)).toBe(before);
  });
});
