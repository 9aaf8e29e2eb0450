/**
 * Decoder of the `aws-chunked` content encoding (AWS SigV4 streaming uploads): the body is a
 * series of `<hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n` chunks ending with a zero-size
 * chunk, then optional trailer lines (`x-amz-checksum-crc32:…`) and an empty line. Current
 * `@aws-sdk/client-s3` sends it for streamed bodies (`x-amz-content-sha256:
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER`); s3rver would store the framing, so the bytes are decoded
 * before they reach it. Chunk signatures are not verified (the request signature is).
 */
import { Transform, type TransformCallback } from 'node:stream';

/** True when the request body uses the aws-chunked framing (by `x-amz-content-sha256` or Content-Encoding). */
export function isAwsChunked(headers: Record<string, string | string[] | undefined>): boolean {
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  const enc = String(headers['content-encoding'] ?? '');
  return sha.startsWith('STREAMING-') || enc.split(',').some((e) => e.trim() === 'aws-chunked');
}

/** A Transform from aws-chunked framing to the payload bytes; malformed framing fails the stream. */
export class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of payload left in the current chunk, or -1 while reading a chunk header. */
  private remaining = -1;
  private afterData = false;
  private done = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    try {
      this.drain();
      callback();
    } catch (err) {
      callback(err as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.done ? null : new Error('aws-chunked body ended before its final chunk'));
  }

  private drain(): void {
    while (!this.done) {
      if (this.afterData) {
        if (this.buffer.length < 2) return;
        if (this.buffer[0] !== 0x0d || this.buffer[1] !== 0x0a) throw new Error('aws-chunked: missing CRLF after chunk data');
        this.buffer = this.buffer.subarray(2);
        this.afterData = false;
      }
      if (this.remaining < 0) {
        const eol = this.buffer.indexOf('\r\n');
        if (eol < 0) return;
        const header = this.buffer.subarray(0, eol).toString('latin1');
        this.buffer = this.buffer.subarray(eol + 2);
        const size = Number.parseInt(header.split(';')[0] ?? '', 16);
        if (!Number.isFinite(size) || size < 0) throw new Error(`aws-chunked: bad chunk header ${JSON.stringify(header)}`);
        if (size === 0) {
          // Trailers (if any) follow; nothing of them belongs to the object.
          this.done = true;
          this.buffer = Buffer.alloc(0);
          return;
        }
        this.remaining = size;
      }
      if (this.buffer.length === 0) return;
      const take = Math.min(this.remaining, this.buffer.length);
      this.push(this.buffer.subarray(0, take));
      this.buffer = this.buffer.subarray(take);
      this.remaining -= take;
      if (this.remaining > 0) return;
      this.remaining = -1;
      this.afterData = true;
    }
  }
}
