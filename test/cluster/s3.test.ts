/**
 * The S3 adapter through the wizard's real HTTP layer: the simulated S3 (src/sim/s3) behind a
 * loopback server, reached under a route host that has no DNS name (`s3.apps.s3.test`), so every
 * request that arrives proves the layer's ingress routing carried it. Covers multipart and
 * single-part uploads read back byte for byte, the error mapping, and an abort mid-upload.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpLayer } from '../../src/cluster/http.js';
import type { HttpLayer } from '../../src/cluster/http.js';
import { MIN_PART_SIZE, createS3Client, headBucket, listObjectSizes, uploadStream } from '../../src/cluster/s3.js';
import { UserError, isAbort } from '../../src/engine/errors.js';
import { createS3 } from '../../src/sim/s3/index.js';
import type { SimS3 } from '../../src/sim/s3/index.js';

const DOMAIN = 'apps.s3.test';
const ENDPOINT = `https://s3.${DOMAIN}`;
const BUCKET = 'models-s3test';
const MiB = 1024 * 1024;

let sim: SimS3;
let server: Server;
let http: HttpLayer;
let port: number;

beforeAll(async () => {
  sim = await createS3();
  await sim.ensureBucket(BUCKET);
  server = createServer((req, res) => void sim.handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
  http = createHttpLayer({ ingressAddress: `127.0.0.1:${port}`, domain: DOMAIN, ingressPlainHttp: true, env: {} });
});
afterAll(async () => {
  await http.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await sim.close();
});

const client = (secret = sim.secretAccessKey, layer = http) => createS3Client({ endpoint: ENDPOINT, region: '', accessKeyId: sim.accessKeyId, secretAccessKey: secret, http: layer });

/** `size` bytes that differ from chunk to chunk, as a stream of 1 MiB (or smaller) chunks, and their SHA-256. */
function generated(size: number): { stream: () => Readable; sha256: string } {
  const chunks: Buffer[] = [];
  for (let off = 0, i = 0; off < size; off += MiB, i++) chunks.push(Buffer.alloc(Math.min(MiB, size - off), `chunk-${i}-`));
  return { stream: () => Readable.from(chunks), sha256: createHash('sha256').update(Buffer.concat(chunks)).digest('hex') };
}

/** GetObject through the same client; SHA-256 and length of what comes back. */
async function readBack(key: string): Promise<{ sha256: string; bytes: number }> {
  const out = await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

describe('uploads through the HTTP layer', () => {
  it('uploads a stream larger than one part in parts (multipart) and reads it back byte for byte', async () => {
    const data = generated(2 * MIN_PART_SIZE + 3 * MiB + 17);
    const seen: number[] = [];
    await uploadStream(client(), { bucket: BUCKET, key: 'granite/model.safetensors', body: data.stream(), partSize: MIN_PART_SIZE, endpoint: ENDPOINT, onProgress: (n) => seen.push(n) });
    expect(seen.at(-1)).toBe(2 * MIN_PART_SIZE + 3 * MiB + 17);
    expect(await readBack('granite/model.safetensors')).toEqual({ sha256: data.sha256, bytes: 2 * MIN_PART_SIZE + 3 * MiB + 17 });
    const sizes = await listObjectSizes(client(), BUCKET, 'granite/', ENDPOINT);
    expect(sizes.get('granite/model.safetensors')).toBe(2 * MIN_PART_SIZE + 3 * MiB + 17);
  });

  it('uploads a stream smaller than one part with one PutObject and reads it back', async () => {
    const data = generated(300_001);
    await uploadStream(client(), { bucket: BUCKET, key: 'small/config.json', body: data.stream(), partSize: MIN_PART_SIZE, endpoint: ENDPOINT });
    const head = await client().send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'small/config.json' }));
    expect(head.ContentLength).toBe(300_001);
    expect(await readBack('small/config.json')).toEqual({ sha256: data.sha256, bytes: 300_001 });
  });

  it('stops when the signal fires mid-upload: AbortError and no object', async () => {
    const controller = new AbortController();
    const body = new Readable({ read() {} });
    body.push(Buffer.alloc(MIN_PART_SIZE, 1));
    body.push(Buffer.alloc(MiB, 2)); // more than one part: the upload goes multipart, then waits for more
    const done = uploadStream(client(), { bucket: BUCKET, key: 'aborted/model.bin', body, partSize: MIN_PART_SIZE, endpoint: ENDPOINT, signal: controller.signal, onProgress: () => controller.abort() }).catch((e: unknown) => e);
    const err = await done;
    body.destroy();
    expect(isAbort(err)).toBe(true);
    const sizes = await listObjectSizes(client(), BUCKET, 'aborted/', ENDPOINT);
    expect([...sizes.keys()]).toEqual([]);
  });
});

describe('errors a person can fix', () => {
  const codeOf = (err: unknown): string | undefined => (err instanceof UserError ? err.code : undefined);

  it('a missing bucket is s3.bucket-missing, a wrong secret is s3.denied', async () => {
    expect(codeOf(await headBucket(client(), 'no-such-bucket', ENDPOINT).catch((e: unknown) => e))).toBe('s3.bucket-missing');
    expect(codeOf(await headBucket(client('wrong-secret'), BUCKET, ENDPOINT).catch((e: unknown) => e))).toBe('s3.denied');
    await expect(headBucket(client(), BUCKET, ENDPOINT)).resolves.toBeUndefined();
  });

  it('an ingress that refuses connections is s3.unreachable, naming the endpoint', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const dead = createHttpLayer({ ingressAddress: `127.0.0.1:${deadPort}`, domain: DOMAIN, ingressPlainHttp: true, env: {} });
    try {
      const err = await headBucket(client(sim.secretAccessKey, dead), BUCKET, ENDPOINT).catch((e: unknown) => e);
      expect(codeOf(err)).toBe('s3.unreachable');
      expect((err as UserError).message).toContain(ENDPOINT);
    } finally {
      await dead.close();
    }
  });
});
