/**
 * The `--plain` terminal path (@inquirer/prompts, src/cli/hosts/prompts.ts) with the real step
 * forms: hidden fields are skipped as the answers go, a multi-select is a checkbox list plus a
 * prompt for repo ids not in the list.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptInputs, promptQuestion } from '../../src/cli/hosts/prompts.js';
import type { AnyStep } from '../../src/engine/types.js';
import { CTX, modelPicker, realStep } from './real-steps.js';

/** Output as a terminal would get it; `until` resolves when the text so far holds `s` (woken by writes). */
function terminal() {
  const events = new EventEmitter();
  const out = {
    text: '',
    isTTY: true,
    columns: 100,
    write(chunk: string) {
      out.text += chunk;
      events.emit('write');
      return true;
    },
  };
  const until = (s: string, from = 0): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = () => {
        if (out.text.indexOf(s, from) >= 0) {
          events.off('write', check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        events.off('write', check);
        reject(new Error(`no "${s}" in the output:\n${out.text.slice(-2000)}`));
      }, 10_000);
      events.on('write', check);
      check();
    });
  return { out, until };
}

/** Answers each prompt (recognised by its message, written after the previous answer) with the keys given, in order. */
async function answer(stdin: PassThrough, until: (s: string, from?: number) => Promise<void>, out: { text: string }, steps: [string, string][]) {
  let from = 0;
  for (const [message, keys] of steps) {
    // inquirer marks a prompt with "? "; keys sent before it listens would be lost.
    await until(`? ${message}`, from);
    // The prompt renders before it listens for keys: let the turn that rendered it finish.
    await new Promise((resolve) => setImmediate(resolve));
    from = out.text.length;
    stdin.write(keys);
  }
}

function ask(step: AnyStep, values: Record<string, unknown>) {
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const { out, until } = terminal();
  const result = promptInputs({ stdin, stdout: out }, { id: step.id, title: step.title, explain: step.explain }, step.fields, values, {}, CTX);
  return { stdin, out, until, result };
}

describe('plain prompts with conditional fields and the multi-select', () => {
  it('storage in ObjectBucketClaim mode: the existing-S3 fields are never asked', async () => {
    const step = realStep('storage');
    const { stdin, out, until, result } = ask(step, { mode: 'obc', storageClass: 'ocs-storagecluster-ceph-rgw', claimName: 'models', bindTimeoutSeconds: 180 });
    await answer(stdin, until, out, [
      ['Object storage', '\r'],
      ['Bucket StorageClass', '\r'],
      ['Claim name', '\r'],
      ['Wait for Bound', '\r'],
      ['S3 endpoint from this machine', '\r'],
    ]);
    const values = await result;
    expect(values['mode']).toBe('obc');
    for (const label of ['S3 endpoint URL', 'Bucket:', 'Access key', 'Secret key', 'Secret for the keys']) expect(out.text).not.toContain(label);
  });

  it('storage switched to existing S3 on the first prompt: its fields follow, the claim fields do not', async () => {
    const step = realStep('storage');
    const { stdin, out, until, result } = ask(step, { mode: 'obc', storageClass: 'ocs-storagecluster-ceph-rgw' });
    await answer(stdin, until, out, [
      ['Object storage', '\u001B[B\r'],
      ['S3 endpoint URL', 'https://s3.example.com\r'],
      ['Bucket', 'models\r'],
      ['Region', '\r'],
      ['Secret for the keys', '\r'],
      ['Access key', 'AKIAEXAMPLE\r'],
      ['Secret key', 'secret-example\r'],
    ]);
    const values = await result;
    expect(values).toMatchObject({ mode: 'existing-s3', endpoint: 'https://s3.example.com', bucket: 'models', accessKeyId: 'AKIAEXAMPLE' });
    expect(out.text).not.toContain('Claim name');
    expect(out.text).not.toContain('secret-example');
  });

  it('the models: a checkbox list of the catalog, then other repo ids typed in', async () => {
    const { stdin, out, until, result } = ask(modelPicker(), { models: ['ibm-granite/granite-8b-code-instruct-128k', 'mistralai/Mistral-7B-Instruct-v0.3'] });
    await answer(stdin, until, out, [
      ['Models (Space toggles, Enter accepts)', ' \r'], // untick the first (granite-8b)
      ['Models: others not in the list', 'acme/my-model, acme/other\r'],
    ]);
    const values = await result;
    expect(values['models']).toEqual(['mistralai/Mistral-7B-Instruct-v0.3', 'acme/my-model', 'acme/other']);
  });

  it('the import form: method local never asks the Job fields', async () => {
    const { stdin, out, until, result } = ask(realStep('import'), { method: 'local' });
    await answer(stdin, until, out, [
      ['Hugging Face token', '\r'],
      ['Import method', '\r'],
      ['Hugging Face Hub', '\r'],
      ['Part size', '\r'],
      ['Models at once', '\r'],
    ]);
    expect((await result)['method']).toBe('local');
    expect(out.text).not.toContain('Importer image');
    expect(out.text).not.toContain('Models (Space toggles');
  });

  it('a checkpoint answered "not yet" asks again, and resolves on yes', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const { out, until } = terminal();
    const done = promptQuestion({ stdin, stdout: out }, { kind: 'checkpoint', id: 'sso.identity-provider.redirect-uri', title: 'Register the redirect URI at google', body: 'register https://keycloak.example/auth/realms/maas/broker/google/endpoint' });
    await answer(stdin, until, out, [['Done?', 'n\r']]);
    // Asked again after the nudge (a second prompt on the same terminal).
    await until('Take your time');
    await answer(stdin, (m) => until(m, out.text.indexOf('Take your time')), out, [['Done?', 'y\r']]);
    await expect(done).resolves.toBe(true);
    expect(out.text).toContain('Take your time');
    expect(out.text).toContain('/broker/google/endpoint');
  });
});
