import { afterEach, describe, expect, it } from 'vitest';
import type { Change, EngineEvent, Progress } from '../../../src/engine/types.js';
import { importSteps } from '../../../steps/import/index.js';
import type { ImportOutputs } from '../../../steps/import/index.js';
import { preflightStep } from '../../../steps/preflight.js';
import { projectStep } from '../../../steps/project.js';
import { storageSteps } from '../../../steps/storage/index.js';
import type { StorageOutputs } from '../../../steps/storage/index.js';
import { run, s3Requests, startStorageCluster } from '../storage/cluster.js';
import type { StorageCluster } from '../storage/cluster.js';

let cluster: StorageCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const NOMIC = 'nomic-ai/nomic-embed-text-v1.5';
const GRANITE = 'ibm-granite/granite-8b-code-instruct-128k';
const MISTRAL = 'mistralai/Mistral-7B-Instruct-v0.3';
const steps = () => [preflightStep, projectStep, ...storageSteps(), ...importSteps()];
const planOf = (events: EngineEvent[], step: string): Change[] =>
  events.find((e): e is Extract<EngineEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step)?.changes ?? [];
const progressOf = (events: EngineEvent[], step: string): Progress[] =>
  events.filter((e): e is Extract<EngineEvent, { type: 'progress' }> => e.type === 'progress' && e.step === step).map((e) => e.progress);
const hubRequests = (c: StorageCluster): string[] => c.sim.requestLog.entries().filter((e) => e.service === 'huggingface').map((e) => `${e.method} ${e.path} ${e.status}`);

/** Expected files of a repo after the filter: the stand-in's list minus what the filter leaves out. */
async function bucketListing(c: StorageCluster, repo: string): Promise<Map<string, number>> {
  const storage = (await run(c.services, [preflightStep, projectStep, ...storageSteps()])).result.outputs['storage'] as unknown as StorageOutputs;
  const objects = await c.s3.listObjects(storage.bucket, `${repo}/`);
  return new Map(objects.map((o) => [o.key.slice(repo.length + 1), o.size]));
}

describe('model import against the simulated cluster and Hub', () => {
  it('copies a small model from the Hub into the bucket, then verify finds every file with the Hub\'s size', async () => {
    cluster = await startStorageCluster();
    const { result, events } = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [NOMIC] } } });
    expect(result.firstError).toBeUndefined();
    expect(result.result).toBe('done');
    const out = result.outputs['import.nomic-embed-text'] as unknown as ImportOutputs;
    const hubFiles = (cluster.hub.files(NOMIC) ?? []).filter((f) => !f.path.startsWith('onnx/') && f.path !== '.gitattributes');
    expect(out.models).toEqual([expect.objectContaining({ id: NOMIC, name: 'nomic-embed-text', path: `${NOMIC}/`, files: hubFiles.length, bytes: hubFiles.reduce((n, f) => n + f.size, 0), runtime: 'tei' })]);
    const listing = await bucketListing(cluster, NOMIC);
    expect(Object.fromEntries(listing)).toEqual(Object.fromEntries(hubFiles.map((f) => [f.path, f.size])));
    const plan = planOf(events, 'import.nomic-embed-text');
    expect(plan[0]).toMatchObject({ action: 'create', target: expect.stringMatching(new RegExp(`^s3://models-.*/${NOMIC}/$`)) });
    expect(planOf(events, 'import').find((c) => c.target.endsWith(`/${NOMIC}/`))?.note).toMatch(/onnx\/model\.onnx \(ONNX.*copied by step import\.nomic-embed-text/);
    const last = progressOf(events, 'import.nomic-embed-text').at(-1);
    expect(last).toMatchObject({ item: NOMIC, fraction: 1, bytesTotal: out.models[0]?.bytes, bytesDone: out.models[0]?.bytes });
    expect(last?.bytesPerSecond).toBeGreaterThan(0);

    // A second run copies nothing.
    const putsBefore = s3Requests(cluster.sim).filter((r) => r.startsWith('PUT')).length;
    const again = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [NOMIC] } } });
    expect(again.result.result).toBe('done');
    expect(planOf(again.events, 'import.nomic-embed-text').map((c) => c.action)).toEqual(['none']);
    expect(s3Requests(cluster.sim).filter((r) => r.startsWith('PUT')).length).toBe(putsBefore);
  });

  it('uploads a file larger than the part size in parts (multipart) and keeps its size', async () => {
    cluster = await startStorageCluster();
    const { result } = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [GRANITE], partSizeMiB: 5 } } });
    expect(result.result).toBe('done');
    const big = (cluster.hub.files(GRANITE) ?? []).find((f) => f.size > 5 * 1024 * 1024);
    expect(big).toBeDefined();
    const requests = s3Requests(cluster.sim);
    const key = `${GRANITE}/${big?.path ?? ''}`;
    expect(requests.filter((r) => r.startsWith('POST') && r.includes(key) && r.includes('uploads'))).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('PUT') && r.includes(key) && r.includes('partNumber='))).toHaveLength(2);
    expect((await bucketListing(cluster, GRANITE)).get(big?.path ?? '')).toBe(big?.size);
  });

  it('interrupted after the first file, a second run copies only the missing files', async () => {
    cluster = await startStorageCluster();
    const controller = new AbortController();
    const first = await run(cluster.services, steps(), {
      answers: { import: { method: 'local', models: [NOMIC] } },
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'progress' && e.progress.message?.startsWith('copied ')) controller.abort();
      },
    });
    expect(first.result.result).toBe('cancelled');
    expect(first.result.states['import.nomic-embed-text']).toBe('cancelled');
    const afterFirst = await bucketListing(cluster, NOMIC);
    const expected = (cluster.hub.files(NOMIC) ?? []).filter((f) => !f.path.startsWith('onnx/') && f.path !== '.gitattributes');
    expect(afterFirst.size).toBeGreaterThanOrEqual(1);
    expect(afterFirst.size).toBeLessThan(expected.length);

    const putsBefore = s3Requests(cluster.sim).filter((r) => r.startsWith('PUT ')).length;
    const second = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [NOMIC] } } });
    expect(second.result.result).toBe('done');
    const puts = s3Requests(cluster.sim).filter((r) => r.startsWith('PUT ')).slice(putsBefore);
    expect(puts).toHaveLength(expected.length - afterFirst.size);
    for (const name of afterFirst.keys()) expect(puts.some((p) => p.includes(`/${NOMIC}/${name}`))).toBe(false);
    expect(planOf(second.events, 'import.nomic-embed-text')[0]).toMatchObject({ action: 'update' });
    expect((await bucketListing(cluster, NOMIC)).size).toBe(expected.length);
  });

  it('keeps the token only in Secret hf-token, and reads it back on a later run', async () => {
    cluster = await startStorageCluster();
    const { result, events } = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [MISTRAL] } }, secrets: { import: { hfToken: 'hf_demo_valid' } } });
    expect(result.result).toBe('done');
    expect(planOf(events, 'import')[0]).toMatchObject({ action: 'create', target: 'Secret llm-hosting/hf-token', manifest: { stringData: { HF_TOKEN: '<from input hfToken>' } } });
    expect(JSON.stringify(events)).not.toContain('hf_demo_valid');
    const secret = await cluster.services.kube.get('v1', 'Secret', 'hf-token', 'llm-hosting');
    expect(Buffer.from((secret?.['data'] as Record<string, string>)['HF_TOKEN'] ?? '', 'base64').toString()).toBe('hf_demo_valid');
    const mistral = (result.outputs['import.mistral-7b-instruct'] as unknown as ImportOutputs).models[0];
    expect(mistral?.files).toBe((cluster.hub.files(MISTRAL) ?? []).filter((f) => f.path !== 'consolidated.safetensors' && f.path !== '.gitattributes').length);
    // Gated model, no token given this time: the one in the Secret is used.
    const again = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [MISTRAL] } } });
    expect(again.result.result).toBe('done');
  });
});

describe('Hugging Face access check (C4): three causes, three messages, no retry', () => {
  const cases = [
    { token: 'hf_not_a_real_token', code: 'hf.token-invalid', message: /refused the token \(401\)/, fix: /settings\/tokens/ },
    { token: 'hf_demo_no_licence', code: 'hf.gated', message: /not accepted its licence \(403\)/, fix: /huggingface\.co\/mistralai\/Mistral-7B-Instruct-v0\.3/ },
    { token: 'hf_demo_fine_grained', code: 'hf.fine-grained', message: /fine-grained .* \(403\)/, fix: /Read access to contents of all public gated repos/ },
  ];
  for (const c of cases) {
    it(`${c.code}`, async () => {
      cluster = await startStorageCluster();
      const { result } = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [MISTRAL] } }, secrets: { import: { hfToken: c.token } } });
      expect(result.result).toBe('failed');
      expect(result.firstError).toMatchObject({ code: c.code, step: 'import', phase: 'plan' });
      expect(result.firstError?.message).toMatch(c.message);
      expect(result.firstError?.fix).toMatch(c.fix);
      // One refused request, not retried; nothing written to the bucket, no Secret.
      const refused = hubRequests(cluster).filter((r) => / 40[13]$/.test(r));
      expect(refused).toHaveLength(1);
      expect(s3Requests(cluster.sim).filter((r) => r.startsWith('PUT'))).toEqual([]);
      expect(await cluster.services.kube.get('v1', 'Secret', 'hf-token', 'llm-hosting')).toBeUndefined();
    });
  }

  it('a gated model without any token asks for one', async () => {
    cluster = await startStorageCluster();
    const { result } = await run(cluster.services, steps(), { answers: { import: { method: 'local', models: [MISTRAL] } } });
    expect(result.firstError?.code).toBe('hf.token-missing');
  });
});
