/**
 * The in-cluster importer itself (templates/importer/import.py), run for real with Debian's
 * python3-boto3 and python3-requests against the Hugging Face Hub stand-in and the simulated S3,
 * both served on 127.0.0.1. Its JSON lines go through the wizard's own parser and error mapping.
 * Skipped, with the reason printed, when /usr/bin/python3 lacks boto3 or requests.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { createHub } from '../../../src/sim/hub/index.js';
import type { HubModel, SimHub } from '../../../src/sim/hub/index.js';
import { createS3 } from '../../../src/sim/s3/index.js';
import type { SimS3 } from '../../../src/sim/s3/index.js';
import { importerFailure, parseImporterLine } from '../../../steps/import/job.js';
import type { ImporterEvent } from '../../../steps/import/job.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/importer/import.py');
const hasPython = spawnSync(PYTHON, ['-c', 'import boto3, requests'], { stdio: 'ignore' }).status === 0;
if (!hasPython) console.warn('skipped: /usr/bin/python3 with boto3 and requests absent (apt-get install -y python3-boto3 python3-requests)');

const MiB = 1024 * 1024;
const PART = 5 * MiB;
const BUCKET = 'models-test';
const PUBLIC = 'test-org/tiny-model';
const GATED = 'test-org/gated-model';
const model = (id: string, gated: HubModel['gated'], files: [string, number][]): HubModel => ({
  id, gated, pipelineTag: 'text-generation', libraryName: 'transformers', license: 'apache-2.0', tags: [],
  config: { architectures: ['LlamaForCausalLM'], model_type: 'llama', max_position_embeddings: 4096 },
  files: files.map(([p, size]) => ({ path: p, size, lfs: p.endsWith('.safetensors') })),
});
// 12 MiB + 1: three parts of 5 MiB (the last one short), so the upload must be multipart.
const catalog = [
  model(PUBLIC, false, [['config.json', 0], ['model.safetensors', 12 * MiB + 1], ['tokenizer.json', 0]]),
  model(GATED, 'manual', [['config.json', 0], ['model.safetensors', 64 * 1024]]),
];

let hub: SimHub;
let s3: SimS3;
let hubUrl = '';
let s3Url = '';
const s3Log: string[] = [];
const servers: ReturnType<typeof createServer>[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  if (!hasPython) return;
  hub = createHub({ catalog });
  s3 = await createS3();
  await s3.ensureBucket(BUCKET);
  hubUrl = await listen((req, res) => void hub.handler(req, res));
  s3Url = await listen((req, res) => {
    s3Log.push(`${req.method ?? ''} ${req.url ?? ''}`);
    void s3.handler(req, res);
  });
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await s3?.close();
});

/** Runs import.py with the container contract's environment; resolves with its parsed lines and exit code. */
function runImporter(repo: string, options: { token?: string; secretKey?: string } = {}): Promise<{ code: number | null; events: ImporterEvent[]; stderr: string }> {
  const files = (hub.files(repo) ?? []).map((f) => ({ path: f.path, size: f.size }));
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin', HOME: mkdtempSync(path.join(tmpdir(), 'importer-home-')), AWS_EC2_METADATA_DISABLED: 'true',
    REPO_ID: repo, FILES: JSON.stringify(files), HF_ENDPOINT: hubUrl, PART_SIZE: String(PART), PYTHONUNBUFFERED: '1',
    AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: options.secretKey ?? s3.secretAccessKey,
    AWS_S3_ENDPOINT: s3Url, AWS_S3_BUCKET: BUCKET, AWS_DEFAULT_REGION: 'us-east-1',
    ...(options.token ? { HF_TOKEN: options.token } : {}),
  };
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr: err, events: out.split('\n').map(parseImporterLine).filter((e): e is ImporterEvent => e !== undefined) }));
  });
}

const client = (): S3Client => new S3Client({ endpoint: s3Url, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
const where = (repo: string) => ({ namespace: 'llm-hosting', job: 'import-x-abcdef', repoId: repo, hubUrl });
const errorOf = (events: ImporterEvent[]) => events.find((e): e is Extract<ImporterEvent, { event: 'error' }> => e.event === 'error');
const codeOf = (err: unknown) => (err instanceof UserError ? err.code : 'not a UserError');

describe.skipIf(!hasPython)('templates/importer/import.py against the Hub stand-in and the simulated S3', () => {
  it('streams every file into <repo>/ (multipart above the part size) with the Hub\'s bytes, printing the contract\'s lines', async () => {
    const run = await runImporter(PUBLIC);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const expected = hub.files(PUBLIC) ?? [];
    const total = expected.reduce((n, f) => n + f.size, 0);
    expect(run.events[0]).toEqual({ event: 'start', repo: PUBLIC, files: 3, bytes: total });
    expect(run.events.filter((e) => e.event === 'file-done').map((e) => (e as { file: string }).file)).toEqual(['config.json', 'model.safetensors', 'tokenizer.json']);
    expect(run.events.at(-1)).toEqual({ event: 'done', files: 3, bytes: total });
    const progress = run.events.filter((e): e is Extract<ImporterEvent, { event: 'progress' }> => e.event === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    for (const p of progress) expect(p.bytes).toBeLessThanOrEqual(p.size);

    const listed = await s3.listObjects(BUCKET, `${PUBLIC}/`);
    expect(Object.fromEntries(listed.map((o) => [o.key, o.size]))).toEqual(Object.fromEntries(expected.map((f) => [`${PUBLIC}/${f.path}`, f.size])));
    // The big file went up in three parts, and its bytes are the Hub's (LFS sha256).
    const key = `/${BUCKET}/${PUBLIC}/model.safetensors`;
    expect(s3Log.filter((r) => r.startsWith(`POST ${key}?uploads`))).toHaveLength(1);
    expect(s3Log.filter((r) => r.startsWith(`PUT ${key}?`) && r.includes('partNumber='))).toHaveLength(3);
    const c = client();
    const body = await c.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${PUBLIC}/model.safetensors` }));
    const hash = createHash('sha256');
    for await (const chunk of body.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
    expect(hash.digest('hex')).toBe(expected.find((f) => f.path === 'model.safetensors')?.lfs?.oid);

    // A second run copies only the file whose size differs (resume), then a third copies nothing.
    await c.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${PUBLIC}/tokenizer.json`, Body: 'truncated' }));
    c.destroy();
    const before = s3Log.length;
    const again = await runImporter(PUBLIC);
    expect(again.code).toBe(0);
    expect(again.events.filter((e) => e.event === 'skip').map((e) => (e as { file: string }).file)).toEqual(['config.json', 'model.safetensors']);
    expect(again.events.filter((e) => e.event === 'file-done').map((e) => (e as { file: string }).file)).toEqual(['tokenizer.json']);
    expect(s3Log.slice(before).filter((r) => r.startsWith('PUT') || r.startsWith('POST'))).toEqual([`PUT /${BUCKET}/${PUBLIC}/tokenizer.json`]);
    const third = s3Log.length;
    const nothing = await runImporter(PUBLIC);
    expect(nothing.code).toBe(0);
    expect(nothing.events.filter((e) => e.event === 'skip')).toHaveLength(3);
    expect(s3Log.slice(third).filter((r) => !r.startsWith('GET'))).toEqual([]);
  });

  const refusals = [
    { label: 'no token on a gated repo', token: undefined, status: 401, code: 'hf.token-missing' },
    { label: 'a token the Hub does not know', token: 'hf_not_a_real_token', status: 401, code: 'hf.token-invalid' },
    { label: 'licence not accepted', token: 'hf_demo_no_licence', status: 403, code: 'hf.gated' },
    { label: 'fine-grained token without gated read', token: 'hf_demo_fine_grained', status: 403, code: 'hf.fine-grained' },
  ];
  for (const r of refusals) {
    it(`${r.label}: one error line with the Hub's status, exit 1, nothing written; the wizard says ${r.code}`, async () => {
      const before = s3Log.length;
      const run = await runImporter(GATED, r.token ? { token: r.token } : {});
      expect(run.code).toBe(1);
      const error = errorOf(run.events);
      expect(error).toMatchObject({ status: r.status, file: 'config.json' });
      expect(codeOf(importerFailure(error, where(GATED)))).toBe(r.code);
      expect(s3Log.slice(before).filter((l) => !l.startsWith('GET'))).toEqual([]);
      expect(await s3.listObjects(BUCKET, `${GATED}/`)).toEqual([]);
    });
  }

  it('with the licence accepted, the gated repo copies', async () => {
    const run = await runImporter(GATED, { token: 'hf_demo_valid' });
    expect(run.code).toBe(0);
    expect((await s3.listObjects(BUCKET, `${GATED}/`)).map((o) => o.key).sort()).toEqual([`${GATED}/config.json`, `${GATED}/model.safetensors`]);
  });

  it('an S3 refusal (wrong secret key) is an S3 error, not a Hugging Face one, and never prints the key', async () => {
    const secretKey = 'wrong-secret-key-0123456789abcdefghijklm';
    const run = await runImporter(PUBLIC, { secretKey });
    expect(run.code).toBe(1);
    const error = errorOf(run.events);
    expect(error).toMatchObject({ source: 's3', status: 0 });
    expect(error?.message).toMatch(/SignatureDoesNotMatch/);
    const failure = importerFailure(error, where(PUBLIC));
    expect(codeOf(failure)).toBe('import.job-failed');
    expect((failure as Error).message).toMatch(/import-x-abcdef of test-org\/tiny-model failed: S3/);
    expect(JSON.stringify(run.events) + run.stderr).not.toContain(secretKey);
  });
});
