/**
 * Conditional fields (`InputField.when`) in input resolution: a hidden field is neither asked for
 * nor reported missing, and its value is neither validated nor stored. Uses the real step
 * definitions' fields and schemas (storage, identity provider) where a person would meet them.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../../src/engine/errors.js';
import { resolveInputs, visibleValues } from '../../src/engine/inputs.js';
import { isFieldShown } from '../../src/engine/types.js';
import type { AnyStep, DefaultsContext, InputField } from '../../src/engine/types.js';
import { storageStep } from '../../steps/storage/index.js';
import { ssoIdentityProviderStep } from '../../steps/sso/identity-provider.js';

/** Preflight found a Ceph RGW bucket class. */
const facts: DefaultsContext = {
  outputs: (id) =>
    id === 'preflight'
      ? { bucketClass: 'ocs-storagecluster-ceph-rgw', bucketClasses: [{ name: 'ocs-storagecluster-ceph-rgw', provisioner: 'openshift-storage.ceph.rook.io/bucket', kind: 'rgw' }], rwxClasses: [], operators: {}, checks: [] }
      : undefined,
};
const none: DefaultsContext = { outputs: () => undefined };

function resolve(step: AnyStep, extra: Partial<Parameters<typeof resolveInputs>[0]> = {}) {
  return resolveInputs({ step, defaultsContext: facts, env: {}, askWhenValid: false, ...extra });
}

async function inputErrorOf(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}

describe('conditional fields (when)', () => {
  it('isFieldShown: no when shows; when decides; a throwing when shows rather than hides', () => {
    const f: InputField = { key: 'bucket', label: 'Bucket', kind: 'text' };
    expect(isFieldShown(f, {})).toBe(true);
    expect(isFieldShown({ ...f, when: (v) => v['mode'] === 'existing-s3' }, { mode: 'obc' })).toBe(false);
    expect(isFieldShown({ ...f, when: (v) => v['mode'] === 'existing-s3' }, { mode: 'existing-s3' })).toBe(true);
    expect(isFieldShown({ ...f, when: () => { throw new Error('bad'); } }, {})).toBe(true);
  });

  it('visibleValues drops hidden fields only, keeping keys that are no field', () => {
    const fields: InputField[] = [
      { key: 'mode', label: 'Mode', kind: 'select' },
      { key: 'endpoint', label: 'Endpoint', kind: 'text', when: (v) => v['mode'] === 'existing-s3' },
    ];
    expect(visibleValues(fields, { mode: 'obc', endpoint: 'x', tolerations: [1] })).toEqual({ mode: 'obc', tolerations: [1] });
    expect(visibleValues(fields, { mode: 'existing-s3', endpoint: 'x' })).toEqual({ mode: 'existing-s3', endpoint: 'x' });
  });

  it('storage in ObjectBucketClaim mode: a stale invalid S3 endpoint and the S3 keys in the environment are ignored, not stored', async () => {
    const r = await resolve(storageStep as AnyStep, {
      saved: { endpoint: 'not a url', bucket: 'Bad_Bucket' },
      env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example' },
    });
    expect(r.inputs['mode']).toBe('obc');
    expect(r.inputs['storageClass']).toBe('ocs-storagecluster-ceph-rgw');
    expect(r.inputs).not.toHaveProperty('endpoint');
    expect(r.inputs).not.toHaveProperty('bucket');
    expect(r.secrets).toEqual({});
  });

  it('storage in existing-S3 mode without a terminal: names the missing S3 fields, never the hidden claim fields', async () => {
    const err = await inputErrorOf(resolve(storageStep as AnyStep, { answers: { mode: 'existing-s3' } }));
    expect(err.message).toContain('storage.endpoint');
    expect(err.message).toContain('storage.bucket');
    expect(err.message).not.toContain('claimName');
    // Given, they are validated and kept; the keys come from the environment.
    const ok = await resolve(storageStep as AnyStep, {
      answers: { mode: 'existing-s3', endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'models-eu' },
      env: { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example' },
    });
    expect(ok.inputs).toMatchObject({ mode: 'existing-s3', endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'models-eu' });
    expect(ok.secrets).toEqual({ accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' });
  });

  it('identity provider none: no client id asked or reported; google: client id reported missing, issuer not', async () => {
    const r = await resolve(ssoIdentityProviderStep as AnyStep, { defaultsContext: none, saved: { clientId: 'left-over', issuer: 'http://old' } });
    expect(r.inputs).toEqual({ provider: 'none' });
    const err = await inputErrorOf(resolve(ssoIdentityProviderStep as AnyStep, { defaultsContext: none, answers: { provider: 'google' } }));
    expect(err.message).toContain('sso.identity-provider.clientId');
    expect(err.message).not.toContain('issuer');
  });

  it('interactive: the re-asked form carries errors for shown fields only and keeps the hidden values for a switch back', async () => {
    const asked: { values: Record<string, unknown>; errors: Record<string, string> }[] = [];
    const answers = [
      { mode: 'existing-s3', claimName: 'my-claim', endpoint: '' },
      { mode: 'existing-s3', claimName: 'my-claim', endpoint: 'https://s3.example.com', bucket: 'models' },
    ];
    const r = await resolve(storageStep as AnyStep, {
      askWhenValid: true,
      ask: async (values, errors) => {
        asked.push({ values, errors });
        return answers[asked.length - 1] ?? values;
      },
    });
    expect(asked).toHaveLength(2);
    expect(Object.keys(asked[1]!.errors).sort()).toEqual(['bucket', 'endpoint']);
    expect(asked[1]!.values['claimName']).toBe('my-claim');
    expect(r.inputs).toMatchObject({ mode: 'existing-s3', bucket: 'models' });
    // The hidden value is not what is stored: the schema's default is.
    expect(r.inputs['claimName']).toBe('models');
  });

  it('a schema that requires a hidden field still fails loudly (a step whose when disagrees with its schema)', async () => {
    const step = {
      id: 'x',
      stage: 'project',
      title: 'X',
      needs: [],
      inputs: z.object({ a: z.string() }),
      fields: [{ key: 'a', label: 'A', kind: 'text', when: () => false }],
      explain: { what: '', why: '', commands: [] },
      plan: async () => [],
      apply: async () => {},
      verify: async () => ({}),
    } satisfies AnyStep;
    const err = await inputErrorOf(resolve(step, { answers: { a: 'given' } }));
    expect(err.message).toContain('x.a');
  });
});
