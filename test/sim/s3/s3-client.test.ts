import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand, CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand,
  HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3, type SimS3 } from '../../../src/sim/s3/index.js';
import { serve, type Served } from '../models/serve.js';

const MiB = 1024 * 1024;
let s3: SimS3;
let server: Served;
let client: S3Client;

function clientFor(endpoint: string, accessKeyId: string, secretAccessKey: string, forcePathStyle = true): S3Client {
  // Every host name resolves to loopback, so virtual-host-style names reach the test server.
  const httpAgent = new Agent({
    lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
      opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
  });
  return new S3Client({ endpoint, region: 'us-east-1', forcePathStyle, credentials: { accessKeyId, secretAccessKey }, requestHandler: { httpAgent } });
}

/** 64 KiB chunks of deterministic bytes, `total` bytes in all; never the whole body in memory. */
function* bytes(total: number): Generator<Buffer> {
  for (let at = 0, n = 0; at < total; at += 64 * 1024, n++) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, total - at));
    for (let i = 0; i < chunk.length; i++) chunk[i] = (at + i + n * 7) % 251;
    yield chunk;
  }
}

/** Byte at offset `i` of the `bytes()` sequence. */
const byteAt = (i: number): number => (i + Math.floor(i / (64 * 1024)) * 7) % 251;

beforeAll(async () => {
  s3 = await createS3({ endpointHosts: ['s3.sim.test'] });
  server = await serve(s3.handler);
  client = clientFor(server.url, s3.accessKeyId, s3.secretAccessKey);
  await s3.ensureBucket('models-7f3a');
});
afterAll(async () => {
  client.destroy();
  await server.close();
  await s3.close();
});

describe('simulated S3 with the real @aws-sdk/client-s3', () => {
  it('hands out AWS-shaped credentials and finds the bucket with HeadBucket', async () => {
    expect(s3.accessKeyId).toMatch(/^[A-Z2-7]{20}$/);
    expect(s3.secretAccessKey).toHaveLength(40);
    await expect(client.send(new HeadBucketCommand({ Bucket: 'models-7f3a' }))).resolves.toBeDefined();
    await expect(client.send(new HeadBucketCommand({ Bucket: 'absent' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('refuses another access key (InvalidAccessKeyId), a wrong secret (SignatureDoesNotMatch) and anonymous requests', async () => {
    const stranger = clientFor(server.url, 'AKIAIOSFODNN7EXAMPLE', s3.secretAccessKey);
    await expect(stranger.send(new ListObjectsV2Command({ Bucket: 'models-7f3a' }))).rejects.toMatchObject({ name: 'InvalidAccessKeyId', $metadata: { httpStatusCode: 403 } });
    const wrongSecret = clientFor(server.url, s3.accessKeyId, 'x'.repeat(40));
    await expect(wrongSecret.send(new ListObjectsV2Command({ Bucket: 'models-7f3a' }))).rejects.toMatchObject({ name: 'SignatureDoesNotMatch' });
    const anonymous = await fetch(`${server.url}/models-7f3a?list-type=2`);
    expect(anonymous.status).toBe(403);
    expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
    stranger.destroy();
    wrongSecret.destroy();
  });

  it('puts, lists (prefix + continuation), heads, gets and deletes objects', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      await client.send(new PutObjectCommand({ Bucket: 'models-7f3a', Key: `list/${name}.json`, Body: `{"n":"${name}"}`, ContentType: 'application/json' }));
    }
    await client.send(new PutObjectCommand({ Bucket: 'models-7f3a', Key: 'other/x.json', Body: 'x' }));
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: 'models-7f3a', Prefix: 'list/', MaxKeys: 2, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect(keys).toEqual(['list/a.json', 'list/b.json', 'list/c.json', 'list/d.json', 'list/e.json']);
    expect(pages).toBe(3);
    const head = await client.send(new HeadObjectCommand({ Bucket: 'models-7f3a', Key: 'list/c.json' }));
    expect(head.ContentLength).toBe(9);
    expect(head.ContentType).toBe('application/json');
    const got = await client.send(new GetObjectCommand({ Bucket: 'models-7f3a', Key: 'list/c.json' }));
    expect(await got.Body?.transformToString()).toBe('{"n":"c"}');
    await client.send(new DeleteObjectCommand({ Bucket: 'models-7f3a', Key: 'list/c.json' }));
    await expect(client.send(new HeadObjectCommand({ Bucket: 'models-7f3a', Key: 'list/c.json' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
    expect((await s3.listObjects('models-7f3a', 'list/')).map((o) => o.key)).toEqual(['list/a.json', 'list/b.json', 'list/d.json', 'list/e.json']);
    expect(await s3.listObjects('no-such-bucket', '')).toEqual([]);
  });

  it('takes a 12 MiB streamed multipart Upload in 5 MiB parts; HeadObject size and a ranged GET match', async () => {
    const total = 12 * MiB;
    const hash = createHash('sha256');
    const body = Readable.from((function* () {
      for (const chunk of bytes(total)) {
        hash.update(chunk);
        yield chunk;
      }
    })());
    const parts: number[] = [];
    const upload = new Upload({ client, params: { Bucket: 'models-7f3a', Key: 'granite/model-00001-of-00004.safetensors', Body: body }, partSize: 5 * MiB, queueSize: 2 });
    upload.on('httpUploadProgress', (p) => { if (p.part !== undefined) parts.push(p.part); });
    await upload.done();
    expect(new Set(parts).size).toBe(3);

    const head = await client.send(new HeadObjectCommand({ Bucket: 'models-7f3a', Key: 'granite/model-00001-of-00004.safetensors' }));
    expect(head.ContentLength).toBe(total);

    const ranged = await client.send(new GetObjectCommand({ Bucket: 'models-7f3a', Key: 'granite/model-00001-of-00004.safetensors', Range: 'bytes=5242870-5242889' }));
    expect(ranged.ContentRange).toBe(`bytes 5242870-5242889/${total}`);
    const slice = Buffer.from(await ranged.Body?.transformToByteArray() ?? []);
    expect([...slice]).toEqual(Array.from({ length: 20 }, (_, i) => byteAt(5242870 + i)));

    const whole = await client.send(new GetObjectCommand({ Bucket: 'models-7f3a', Key: 'granite/model-00001-of-00004.safetensors' }));
    const check = createHash('sha256');
    for await (const chunk of whole.Body as AsyncIterable<Uint8Array>) check.update(chunk);
    expect(check.digest('hex')).toBe(hash.digest('hex'));
    expect(await s3.listObjects('models-7f3a', 'granite/')).toEqual([{ key: 'granite/model-00001-of-00004.safetensors', size: total }]);
  });

  it('stores a streamed PutObject (aws-chunked framing on the wire) byte for byte', async () => {
    const total = 300 * 1024;
    const body = Readable.from(bytes(total));
    await client.send(new PutObjectCommand({ Bucket: 'models-7f3a', Key: 'streamed.bin', Body: body, ContentLength: total }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'models-7f3a', Key: 'streamed.bin' }));
    expect(got.ContentEncoding).toBeUndefined();
    const back = Buffer.from(await got.Body?.transformToByteArray() ?? []);
    expect(back.length).toBe(total);
    expect(back.equals(Buffer.concat([...bytes(total)]))).toBe(true);
  });

  it('aborts a multipart upload without leaving an object', async () => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'models-7f3a', Key: 'aborted.bin' }));
    await client.send(new UploadPartCommand({ Bucket: 'models-7f3a', Key: 'aborted.bin', UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }));
    await client.send(new AbortMultipartUploadCommand({ Bucket: 'models-7f3a', Key: 'aborted.bin', UploadId }));
    await expect(client.send(new HeadObjectCommand({ Bucket: 'models-7f3a', Key: 'aborted.bin' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
  });

  it('serves virtual-host-style requests (<bucket>.<host>) as well', async () => {
    const vhost = clientFor(`http://s3.sim.test:${server.port}`, s3.accessKeyId, s3.secretAccessKey, false);
    await vhost.send(new PutObjectCommand({ Bucket: 'models-7f3a', Key: 'vhost/hello.txt', Body: 'hello' }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'models-7f3a', Key: 'vhost/hello.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    const listed = await vhost.send(new ListObjectsV2Command({ Bucket: 'models-7f3a', Prefix: 'vhost/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(['vhost/hello.txt']);
    vhost.destroy();
  });

  it('keeps objects and credentials under dir across a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'maas-s3-test-'));
    try {
      const first = await createS3({ dir });
      await first.ensureBucket('kept');
      const srv = await serve(first.handler);
      const c = clientFor(srv.url, first.accessKeyId, first.secretAccessKey);
      await c.send(new PutObjectCommand({ Bucket: 'kept', Key: 'm/config.json', Body: '{}' }));
      c.destroy();
      await srv.close();
      await first.close();
      const second = await createS3({ dir });
      expect(second.accessKeyId).toBe(first.accessKeyId);
      expect(await second.listObjects('kept', 'm/')).toEqual([{ key: 'm/config.json', size: 2 }]);
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
