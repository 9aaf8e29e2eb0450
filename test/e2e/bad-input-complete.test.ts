/**
 * Answers that pass per-field validation but leave a step unable to start in an unattended run
 * (a cross-field rule needs a value the file lacks): `checkAnswersComplete` (src/cli/answers.ts)
 * finds them from the file alone, so a run can refuse them before any step changes anything.
 */
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { AnswersError, checkAnswersComplete, parseAnswers } from '../../src/cli/answers.js';
import { EXIT } from '../../src/engine/errors.js';
import { allSteps } from '../../steps/index.js';
import { reportError } from '../../src/cli/report-error.js';
import { Capture, runCli } from '../cli/helpers.js';

const steps = allSteps();

/** Parses `data` as an answers file, then checks it is complete; returns the error, if any. */
function check(data: unknown, saved: Record<string, Record<string, unknown>> = {}): AnswersError | undefined {
  const answers = parseAnswers(stringify(data), 'answers.yaml', steps);
  try {
    checkAnswersComplete(answers, steps, 'answers.yaml', (id) => saved[id]);
    return undefined;
  } catch (err) {
    if (err instanceof AnswersError) return err;
    throw err;
  }
}

describe('answers complete enough for an unattended run', () => {
  it('refuses an identity provider without its client id, naming the key and the fix, exit 2', () => {
    const err = check({ 'sso.identity-provider': { provider: 'google' } });
    expect(err?.message).toMatch(/^answers\.yaml sso\.identity-provider\.clientId: missing: needed for google/);
    expect(err?.fix).toMatch(/add "sso\.identity-provider\.clientId" to the answers file, or run the wizard in a terminal/);
    const stderr = new Capture();
    expect(reportError(err, stderr)).toBe(EXIT.usage);
    expect(stderr.text).toMatch(/^fix: add "sso\.identity-provider\.clientId"/m);
  });

  it('refuses oidc without an issuer, and existing S3 without endpoint and bucket, listing every key', () => {
    expect(check({ 'sso.identity-provider': { provider: 'oidc', clientId: 'maas' } })?.problems.map((p) => p.key)).toEqual(['sso.identity-provider.issuer']);
    expect(check({ storage: { mode: 'existing-s3' } })?.problems.map((p) => p.key).sort()).toEqual(['storage.bucket', 'storage.endpoint']);
  });

  it('accepts complete answers, a value the saved progress holds, and steps the file does not name', () => {
    expect(check({ 'sso.identity-provider': { provider: 'google', clientId: 'abc.apps.googleusercontent.com' } })).toBeUndefined();
    expect(check({ 'sso.identity-provider': { provider: 'github' } }, { 'sso.identity-provider': { provider: 'github', clientId: 'Iv1.saved' } })).toBeUndefined();
    expect(check({ project: { namespace: 'llm-hosting' }, import: { method: 'local' } })).toBeUndefined();
    expect(check({ storage: { mode: 'existing-s3', endpoint: 'https://s3.example.com', bucket: 'models' } })).toBeUndefined();
  });

  it('accepts the example answers file as `maas-wizard answers --example` prints it (no false alarm on any step)', async () => {
    const r = await runCli(['answers', '--example']);
    expect(r.code, r.stderr.text).toBe(0);
    const answers = parseAnswers(r.stdout.text, 'example.yaml', steps);
    expect(Object.keys(answers).length).toBeGreaterThan(10);
    expect(() => checkAnswersComplete(answers, steps, 'example.yaml')).not.toThrow();
  });

  it('does not ask for values of fields hidden by the choice made (workbench name with method local)', () => {
    expect(check({ import: { method: 'local', models: ['mistralai/Mistral-7B-Instruct-v0.3'] } })).toBeUndefined();
    expect(check({ 'sso.identity-provider': { provider: 'none' } })).toBeUndefined();
  });
});
