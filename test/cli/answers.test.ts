import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnswersError, loadAnswers, parseAnswers } from '../../src/cli/answers.js';
import { InputError } from '../../src/engine/errors.js';
import { fakeSteps } from './fake-steps.js';
import { tempDir } from './helpers.js';

const steps = fakeSteps();

function problemsOf(text: string): AnswersError {
  try {
    parseAnswers(text, 'answers.yaml', steps);
  } catch (err) {
    expect(err).toBeInstanceOf(AnswersError);
    return err as AnswersError;
  }
  throw new Error('expected the answers to be refused');
}

describe('answers file', () => {
  it('returns the values per step, validated by the steps own schemas', () => {
    const a = parseAnswers('project:\n  namespace: team-a\nmodels:\n  replicas: 2\n', 'answers.yaml', steps);
    expect(a).toEqual({ project: { namespace: 'team-a' }, models: { replicas: 2 } });
  });

  it('an empty file is no answers', () => {
    expect(parseAnswers('', 'answers.yaml', steps)).toEqual({});
  });

  it('a bad value points at its line and key with the schema message', () => {
    const e = problemsOf('# inputs\nproject:\n  displayName: x\n  namespace: Foo\n');
    expect(e.message).toContain('answers.yaml:4 project.namespace: invalid value "Foo": must be a lowercase RFC 1123 label');
    expect(e.usage).toBe(true);
    expect(e).toBeInstanceOf(InputError);
  });

  it('a wrong type is refused at its line', () => {
    const e = problemsOf('models:\n  replicas: "many"\n');
    expect(e.problems).toEqual([expect.objectContaining({ line: 2, key: 'models.replicas' })]);
    expect(e.message).toMatch(/expected number/);
  });

  it('an unknown key names the keys the step takes', () => {
    const e = problemsOf('project:\n  namespace: ok\n  namspace: typo\n');
    expect(e.message).toContain('answers.yaml:3 project.namspace: unknown key "namspace"; project takes: namespace, displayName');
  });

  it('an unknown step names the steps', () => {
    const e = problemsOf('\n\nprojects:\n  namespace: a\n');
    expect(e.message).toContain('answers.yaml:3 projects: unknown step "projects"; the steps are: project, models, report');
  });

  it('a secret is refused and the message says where secrets come from', () => {
    const e = problemsOf('models:\n  hfToken: hf_abc\n');
    expect(e.message).toContain('models.hfToken');
    expect(e.message).toContain('--hf-token or the environment variable HF_TOKEN');
    expect(e.message).not.toContain('hf_abc');
  });

  it('lists every problem at once, in line order', () => {
    const e = problemsOf('project:\n  namespace: Bad\nmodels:\n  replicas: 0\n  extra: 1\n');
    expect(e.problems.map((p) => p.line)).toEqual([2, 4, 5]);
  });

  it('bad YAML (a duplicate key) points at the line', () => {
    const e = problemsOf('project:\n  namespace: a\nproject:\n  namespace: b\n');
    expect(e.problems[0]?.key).toBe('(yaml)');
    expect(e.problems[0]?.line).toBe(3);
    expect(e.message).toMatch(/^answers\.yaml:3 \(yaml\): /);
  });

  it('a missing file is an InputError naming --answers', async () => {
    await expect(loadAnswers(join(tempDir(), 'nope.yaml'), steps)).rejects.toThrow(/--answers .*nope\.yaml: cannot read the answers file \(ENOENT\)/);
  });

  it('reads a file and names it in messages', async () => {
    const file = join(tempDir(), 'ci.yaml');
    writeFileSync(file, 'report:\n  x: 1\n');
    await expect(loadAnswers(file, steps)).rejects.toThrow(/ci\.yaml:2 report\.x: unknown key "x"/);
  });
});

describe('answers for the real steps', () => {
  it('checks each field of a step whose schema has cross-field rules (storage), refusing only the bad value', async () => {
    const { allSteps } = await import('../../steps/index.js');
    const real = allSteps();
    expect(parseAnswers('storage:\n  mode: obc\n  claimName: models\n', 'answers.yaml', real)).toEqual({ storage: { mode: 'obc', claimName: 'models' } });
    expect(() => parseAnswers('storage:\n  mode: glacier\n', 'answers.yaml', real)).toThrow(/answers\.yaml:2 storage\.mode: invalid value "glacier"/);
  });
});
