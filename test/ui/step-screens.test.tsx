/**
 * Screens of the real steps' forms, checkpoint and diagnosis at 80×24, compared with
 * snapshots/*.txt (written when missing or with UPDATE_SNAPSHOTS=1). Fields, explanations,
 * questions and diagnoses come from steps/; the events are fed by hand (no cluster).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { serializeError, StepError } from '../../src/engine/errors.js';
import type { AnyStep, StepContext } from '../../src/engine/types.js';
import { classifyFailure } from '../../steps/serving/index.js';
import { PredictorFailed } from '../../steps/serving/diagnose.js';
import { brokerEndpoint } from '../../steps/sso/identity-provider.js';
import { createElement } from 'react';
import { MODEL_PICKER, pickerFields } from '../../src/cli/models.js';
import { ModelPicker } from '../../src/ui/model-picker.js';
import { guideModels, loadCatalog } from '../../steps/import/catalog.js';
import { KEYS, mount, snapshotFile, waitForFrame } from './helpers.js';
import { T0 } from './fixtures.js';
import { askReal, mountReal, realStep } from './real-steps.js';

afterEach(() => cleanup());

/** Asserts the frame equals snapshots/<name>.txt and fits 80×24. */
function expectSnapshot(name: string, frame: string) {
  const s = snapshotFile(name, frame);
  if (s.wrote) console.warn(s.wrote);
  expect(s.actual).toBe(s.expected);
  const lines = s.actual.trimEnd().split('\n');
  expect(lines.length).toBeLessThanOrEqual(24);
  for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
}

describe('real step screens (snapshots/)', () => {
  it('the model picker: the first screen, the catalog as a multi-select, guide models chosen', async () => {
    const catalog = loadCatalog();
    const inst = mount(createElement(ModelPicker, { step: MODEL_PICKER, fields: pickerFields(catalog), values: { models: guideModels(catalog) }, errors: {}, onSubmit: () => undefined, width: 80 }));
    const frame = await waitForFrame(inst, '3 chosen · Space toggles · Enter accepts');
    expect(frame).toContain('❯ [x] ibm-granite/granite-8b-code-instruct-128k');
    expect(frame).toContain('  [x] nomic-ai/nomic-embed-text-v1.5 embedding');
    expect(frame).toContain('[x] mistralai/Mistral-7B-Instruct-v0.3');
    expect(frame).toContain('[x] nomic-ai/nomic-embed-text-v1.5');
    expect(frame).toMatch(/\[ \] ibm-granite\/granite-3\.1-8b-instruct/);
    expect(frame).toContain('+ add another:');
    expectSnapshot('model-picker', frame);
  });

  it('the identity-provider form with google: client id and masked secret, no issuer', async () => {
    const { inst, host } = mountReal();
    const secret = 'GOCSPX-n0tAr3alS3cret';
    const done = askReal(host, realStep('sso.identity-provider'), { provider: 'google', clientId: '1234567890-abc.apps.googleusercontent.com' });
    await waitForFrame(inst, '❯ Google');
    expect(inst.frame()).not.toContain('Issuer URL');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '› Client id at the provider');
    inst.stdin.write(KEYS.enter);
    await waitForFrame(inst, '› Client secret at the provider');
    inst.stdin.write(secret);
    // Masked: one • per character (wrapped beside the label when longer than the space left).
    const frame = await waitForFrame(inst, (f) => f.replace(/[^•]/g, '').length === secret.length);
    expect(frame).toContain('Client id at the provider: 1234567890-abc.apps.g');
    expect(frame).not.toContain('Issuer URL');
    for (const f of inst.frames) expect(f).not.toContain(secret);
    expectSnapshot('identity-provider-form', frame);
    inst.stdin.write(KEYS.enter);
    const resolved = await done;
    expect(resolved.inputs).toEqual({ provider: 'google', clientId: '1234567890-abc.apps.googleusercontent.com' });
    expect(resolved.secrets).toEqual({ clientSecret: secret });
  });

  it('the SSO checkpoint: the redirect URI to register at the provider', async () => {
    const { store, inst, host } = mountReal();
    const step = realStep('sso.identity-provider');
    store.dispatch({ type: 'state', at: T0 + 10_000, step: step.id, state: 'applying' });
    const uri = brokerEndpoint('https://keycloak-rh-sso.apps.demo.example.com', 'maas', 'google');
    // The question as the step's apply puts it (steps/sso/identity-provider.ts) after creating the provider.
    const answered = host.ask(step.id, {
      kind: 'checkpoint',
      id: 'sso.identity-provider.redirect-uri',
      title: 'Register the redirect URI at google',
      body: `At google, register this redirect URI (also called callback or authorized redirect URL) for client 1234567890-abc.apps.googleusercontent.com:\n\n  ${uri}\n\nSign-in through google fails with "redirect_uri mismatch" until it is registered.`,
      url: 'https://console.cloud.google.com/apis/credentials',
    });
    // The second frame has the layout measured: it says how much of the pane is below.
    const frame = await waitForFrame(inst, (f) => f.includes('Press Enter when this is done') && /↓ \d+ more/.test(f));
    expect(frame).toContain('Manual step: Register the redirect URI at google');
    expect(frame).toContain('https://keycloak-rh-sso.apps.demo.example.com/aut');
    expect(frame).toContain('/realms/maas/broker/google/endpoint');
    expectSnapshot('sso-checkpoint', frame);
    inst.stdin.write(KEYS.enter);
    await expect(answered).resolves.toBe(true);
  });

  it('a serving step failed with the KV-cache diagnosis offering a smaller --max-model-len', async () => {
    const { store, inst } = mountReal();
    const step = realStep('serving.mistral-7b-instruct') as AnyStep;
    const log = ['ValueError: The model\'s max seq len (32768) is larger than the maximum number of tokens that can be stored in KV cache (12000). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.'];
    const finding = classifyFailure(log, { stepId: step.id, namespace: 'llm-hosting', runtime: 'vllm-cuda-runtime', storageKey: 'aws-connection-models', storagePath: 'mistralai/Mistral-7B-Instruct-v0.3/', maxModelLen: 32768, connectionExists: true });
    const failure = new StepError(step.id, 'apply', new PredictorFailed('predictor of InferenceService llm-hosting/mistral-7b-instruct', 'crash-looping', finding));
    const diagnosis = await step.diagnose!({ stepId: step.id, inputs: { namespace: 'llm-hosting', name: 'mistral-7b-instruct' } } as unknown as StepContext, failure.cause);
    expect(diagnosis?.suggestedInputs).toEqual({ maxModelLen: 11264 });
    store.dispatch({ type: 'state', at: T0 + 10_000, step: step.id, state: 'applying' });
    store.dispatch({ type: 'state', at: T0 + 190_000, step: step.id, state: 'failed', error: serializeError(failure) });
    store.dispatch({ type: 'diagnosis', at: T0 + 191_000, step: step.id, diagnosis: diagnosis! });
    store.dispatch({ type: 'run-finished', at: T0 + 192_000, result: 'failed' });
    const frame = await waitForFrame(inst, 'The run failed');
    expect(frame).toContain('suggested input: maxModelLen = 11264');
    // The error already carries the finding: its summary is not repeated as a diagnosis.
    expect(frame.match(/KV cache/g)).toHaveLength(1);
    expectSnapshot('diagnosis-kv-cache', frame);
  });

  it('the storage form in ObjectBucketClaim mode hides the existing-S3 fields, and shows them live on switching', async () => {
    const { inst, host } = mountReal();
    void askReal(host, realStep('storage'));
    const frame = await waitForFrame(inst, '❯ ObjectBucketClaim');
    for (const label of ['Bucket StorageClass: ocs-storagecluster-ceph-rgw', 'Claim name: models', 'Wait for Bound (seconds): 180']) expect(frame).toContain(label);
    for (const label of ['S3 endpoint URL', 'Bucket:', 'Region', 'Access key', 'Secret key', 'Secret for the keys']) expect(frame).not.toContain(label);
    expectSnapshot('storage-form-obc', frame);
    inst.stdin.write(KEYS.down);
    const s3 = await waitForFrame(inst, 'S3 endpoint URL');
    expect(s3).toContain('❯ Existing S3 bucket');
    expect(s3).toContain('Access key');
    expect(s3).not.toContain('Claim name');
    inst.stdin.write(KEYS.up);
    await waitForFrame(inst, (f) => f.includes('Claim name') && !f.includes('S3 endpoint URL'));
  });
});
