import { createHash } from 'node:crypto';
import { downloadFile, listFiles, modelInfo, type ListFileEntry } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, type SimHub } from '../../../src/sim/hub/index.js';
import { serve, type Served } from '../models/serve.js';

let hub: SimHub;
let server: Served;
beforeAll(async () => {
  hub = createHub();
  server = await serve(hub.handler);
});
afterAll(async () => {
  await server.close();
});

const GRANITE = 'ibm-granite/granite-8b-code-instruct-128k';
const MISTRAL = 'mistralai/Mistral-7B-Instruct-v0.3';
const LLAMA = 'meta-llama/Llama-3.1-8B-Instruct';

/** The HubApiError of a failing call: status and message. */
async function failure(p: Promise<unknown>): Promise<{ statusCode: number; message: string }> {
  try {
    await p;
  } catch (err) {
    return err as { statusCode: number; message: string };
  }
  throw new Error('expected the call to fail');
}

async function collect(it: AsyncIterable<ListFileEntry>): Promise<ListFileEntry[]> {
  const out: ListFileEntry[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('Hugging Face Hub stand-in with the real @huggingface/hub', () => {
  it('knows the guide\'s three models and current ones', () => {
    expect(hub.models()).toEqual(expect.arrayContaining([GRANITE, MISTRAL, 'nomic-ai/nomic-embed-text-v1.5', LLAMA, 'Qwen/Qwen2.5-7B-Instruct', 'ibm-granite/granite-3.1-8b-instruct']));
  });

  it('answers modelInfo with gating and task', async () => {
    const m = await modelInfo({ name: MISTRAL, hubUrl: server.url });
    expect(m).toMatchObject({ name: MISTRAL, gated: 'auto', private: false, task: 'text-generation' });
    const l = await modelInfo({ name: LLAMA, hubUrl: server.url, accessToken: 'hf_demo_valid', additionalFields: ['config', 'library_name', 'sha'] });
    expect(l.gated).toBe('manual');
    expect(l.library_name).toBe('transformers');
    expect(l.sha).toMatch(/^[0-9a-f]{40}$/);
    expect((l.config as { max_position_embeddings: number }).max_position_embeddings).toBe(131072);
  });

  it('lists files recursively with sizes, LFS info and folders, across Link-header pages', async () => {
    const small = createHub({ treePageSize: 3 });
    const s = await serve(small.handler);
    try {
      const paged = await collect(listFiles({ repo: 'nomic-ai/nomic-embed-text-v1.5', hubUrl: s.url, recursive: true }));
      const whole = await collect(listFiles({ repo: 'nomic-ai/nomic-embed-text-v1.5', hubUrl: server.url, recursive: true }));
      expect(paged.length).toBeGreaterThan(3);
      expect(paged).toEqual(whole);
      const paths = paged.map((e) => e.path);
      expect(paths).toEqual(expect.arrayContaining(['onnx', 'onnx/model.onnx', '1_Pooling/config.json', 'model.safetensors', 'config.json']));
      const weights = paged.find((e) => e.path === 'model.safetensors');
      expect(weights?.type).toBe('file');
      expect(weights?.size).toBe(1024 * 1024);
      expect(weights?.lfs?.size).toBe(1024 * 1024);
      expect(weights?.lfs?.oid).toMatch(/^[0-9a-f]{64}$/);
      expect(paged.find((e) => e.path === 'onnx')?.type).toBe('directory');
      const top = await collect(listFiles({ repo: 'nomic-ai/nomic-embed-text-v1.5', hubUrl: server.url }));
      expect(top.map((e) => e.path)).not.toContain('onnx/model.onnx');
      const expanded = await collect(listFiles({ repo: 'nomic-ai/nomic-embed-text-v1.5', hubUrl: server.url, recursive: true, expand: true }));
      expect(expanded.map((e) => e.path)).toEqual(paths);
      expect(expanded.find((e) => e.path === 'config.json')?.lastCommit?.id).toMatch(/^[0-9a-f]{40}$/);
      const inOnnx = await collect(listFiles({ repo: 'nomic-ai/nomic-embed-text-v1.5', hubUrl: server.url, path: 'onnx' }));
      expect(inOnnx.map((e) => e.path).sort()).toEqual(['onnx/model.onnx', 'onnx/model_quantized.onnx']);
    } finally {
      await s.close();
    }
  });

  it('has realistic file names: shards with index, consolidated, original/, gguf, and a shard over 6 MiB', () => {
    const granite = hub.files(GRANITE) ?? [];
    expect(granite.map((f) => f.path)).toEqual(expect.arrayContaining(['model-00001-of-00004.safetensors', 'model.safetensors.index.json', 'tokenizer.json', '.gitattributes']));
    expect(Math.max(...granite.map((f) => f.size))).toBeGreaterThan(6 * 1024 * 1024);
    expect(hub.files(MISTRAL)?.map((f) => f.path)).toContain('consolidated.safetensors');
    expect(hub.files(LLAMA)?.map((f) => f.path)).toContain('original/consolidated.00.pth');
    expect(hub.files('Qwen/Qwen2.5-7B-Instruct')?.some((f) => f.path.endsWith('.gguf'))).toBe(true);
    const total = granite.reduce((n, f) => n + f.size, 0);
    expect(total).toBeLessThan(16 * 1024 * 1024);
  });

  it('downloads a file whose bytes match the listed size and LFS sha256, the same every time', async () => {
    const path = 'model-00004-of-00004.safetensors';
    const blob = await downloadFile({ repo: GRANITE, path, hubUrl: server.url });
    expect(blob).not.toBeNull();
    const bytes = Buffer.from(await (blob as Blob).arrayBuffer());
    const listed = hub.files(GRANITE)?.find((f) => f.path === path);
    expect(bytes.length).toBe(listed?.size);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(listed?.lfs?.oid);
    const again = Buffer.from(await ((await downloadFile({ repo: GRANITE, path, hubUrl: server.url })) as Blob).arrayBuffer());
    expect(again.equals(bytes)).toBe(true);
    const config = JSON.parse(await ((await downloadFile({ repo: GRANITE, path: 'config.json', hubUrl: server.url })) as Blob).text()) as { max_position_embeddings: number };
    expect(config.max_position_embeddings).toBe(131072);
    expect(await downloadFile({ repo: GRANITE, path: 'nope.bin', hubUrl: server.url })).toBeNull();
  });

  it('serves byte ranges (206, Content-Range) consistent with the whole file, X-Repo-Commit and ETag', async () => {
    const url = `${server.url}/${GRANITE}/resolve/main/model-00001-of-00004.safetensors`;
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    const size = Number(head.headers.get('content-length'));
    expect(size).toBe(6.5 * 1024 * 1024);
    expect(head.headers.get('x-repo-commit')).toMatch(/^[0-9a-f]{40}$/);
    expect(head.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    const part = await fetch(url, { headers: { range: 'bytes=5242870-5242889' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5242870-5242889/${size}`);
    const partBytes = Buffer.from(await part.arrayBuffer());
    expect(partBytes.length).toBe(20);
    const tail = await fetch(url, { headers: { range: 'bytes=5242860-' } });
    const tailBytes = Buffer.from(await tail.arrayBuffer());
    expect(tailBytes.subarray(10, 30).equals(partBytes)).toBe(true);
    const blob = await downloadFile({ repo: GRANITE, path: 'model-00001-of-00004.safetensors', hubUrl: server.url });
    const sliced = Buffer.from(await (blob as Blob).slice(5242870, 5242890).arrayBuffer());
    expect(sliced.equals(partBytes)).toBe(true);
    expect((await fetch(url, { headers: { range: `bytes=${size}-` } })).status).toBe(416);
  });

  it('tells apart a bad token (401), a gated repo without licence (403) and a fine-grained token without gated read (403)', async () => {
    const bad = await failure(downloadFile({ repo: GRANITE, path: 'config.json', hubUrl: server.url, accessToken: 'hf_wrong' }));
    expect(bad.statusCode).toBe(401);
    expect(bad.message).toMatch(/^Invalid credentials in Authorization header/);
    const badInfo = await failure(modelInfo({ name: GRANITE, hubUrl: server.url, accessToken: 'hf_wrong' }));
    expect(badInfo.statusCode).toBe(401);

    const anon = await failure(downloadFile({ repo: MISTRAL, path: 'config.json', hubUrl: server.url }));
    expect(anon.statusCode).toBe(401);
    expect(anon.message).toMatch(/restricted.*Please log in/);

    const noLicence = await failure(downloadFile({ repo: MISTRAL, path: 'config.json', hubUrl: server.url, accessToken: 'hf_demo_no_licence' }));
    expect(noLicence.statusCode).toBe(403);
    expect(noLicence.message).toMatch(/not in the authorized list/);

    const fine = await failure(downloadFile({ repo: LLAMA, path: 'config.json', hubUrl: server.url, accessToken: 'hf_demo_fine_grained' }));
    expect(fine.statusCode).toBe(403);
    expect(fine.message).toMatch(/enable access to public gated repositories in your fine-grained token settings/);

    const ok = await downloadFile({ repo: LLAMA, path: 'config.json', hubUrl: server.url, accessToken: 'hf_demo_valid' });
    expect(JSON.parse(await (ok as Blob).text())).toMatchObject({ model_type: 'llama' });
    const okFine = await downloadFile({ repo: LLAMA, path: 'config.json', hubUrl: server.url, accessToken: 'hf_demo_fine_grained_gated' });
    expect(okFine).not.toBeNull();
  });

  it('honours a configured token table and reports unknown repos and revisions', async () => {
    const custom = createHub({ tokens: { hf_alice: { name: 'alice', acceptedLicences: [MISTRAL] } } });
    const s = await serve(custom.handler);
    try {
      expect(await downloadFile({ repo: MISTRAL, path: 'params.json', hubUrl: s.url, accessToken: 'hf_alice' })).not.toBeNull();
      expect((await failure(downloadFile({ repo: LLAMA, path: 'params.json', hubUrl: s.url, accessToken: 'hf_alice' }))).statusCode).toBe(403);
      expect((await failure(modelInfo({ name: GRANITE, hubUrl: s.url, accessToken: 'hf_demo_valid' }))).statusCode).toBe(401);
      const missing = await failure(modelInfo({ name: 'nobody/nothing', hubUrl: s.url, accessToken: 'hf_alice' }));
      expect(missing.statusCode).toBe(404);
      const rev = await fetch(`${s.url}/api/models/${GRANITE}/tree/v9`);
      expect(rev.status).toBe(404);
      expect(rev.headers.get('x-error-code')).toBe('RevisionNotFound');
    } finally {
      await s.close();
    }
  });
});
