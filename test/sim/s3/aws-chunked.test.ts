import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AwsChunkedDecoder, isAwsChunked } from '../../../src/sim/s3/aws-chunked.js';

/** Encodes `payload` in aws-chunked framing with `chunk`-byte chunks, signatures and a checksum trailer. */
function frame(payload: Buffer, chunk: number): Buffer {
  const parts: Buffer[] = [];
  for (let at = 0; at < payload.length; at += chunk) {
    const piece = payload.subarray(at, at + chunk);
    parts.push(Buffer.from(`${piece.length.toString(16)};chunk-signature=${'a'.repeat(64)}\r\n`), piece, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`0;chunk-signature=${'b'.repeat(64)}\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n`));
  return Buffer.concat(parts);
}

/** Feeds `data` to the decoder in pieces of `step` bytes and collects the output. */
async function decode(data: Buffer, step: number): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let at = 0; at < data.length; at += step) pieces.push(data.subarray(at, at + step));
  const out: Buffer[] = [];
  for await (const c of Readable.from(pieces).pipe(new AwsChunkedDecoder())) out.push(c as Buffer);
  return Buffer.concat(out);
}

describe('aws-chunked decoding', () => {
  const payload = Buffer.from(Array.from({ length: 30_000 }, (_, i) => (i * 31) % 256));

  it('recovers the payload whatever the chunk and network boundaries', async () => {
    for (const [chunk, step] of [[8192, 1000], [65536, 7], [30_000, 65536], [3, 97]] as const) {
      expect((await decode(frame(payload, chunk), step)).equals(payload)).toBe(true);
    }
  });

  it('fails on a body cut before the final chunk and on bad framing', async () => {
    const framed = frame(payload, 8192);
    await expect(decode(framed.subarray(0, 12_000), 4096)).rejects.toThrow(/ended before/);
    await expect(decode(Buffer.from('zz\r\nabc'), 10)).rejects.toThrow(/bad chunk header/);
  });

  it('recognises aws-chunked requests by their headers', () => {
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' })).toBe(false);
  });
});
