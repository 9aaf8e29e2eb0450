/**
 * Small HTTP helpers of the simulated API server: reading bodies, answering JSON and Status errors.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SimApiError, statusBody } from './errors.js';

/** Largest request body accepted, in bytes (kube-apiserver's limit is 3 MiB for most requests). */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** Reads the whole request body. Throws 413 RequestEntityTooLarge beyond `MAX_BODY_BYTES`. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new SimApiError({ code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Answers `code` with a JSON body. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, private' });
  res.end(text);
}

/** Answers an error: a `SimApiError` as its Status; anything else as 500 InternalError. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof SimApiError) {
    sendJson(res, err.shape.code, statusBody(err.shape));
    return;
  }
  const message = err instanceof Error ? err.message : String(err);
  sendJson(res, 500, statusBody({ code: 500, reason: 'InternalError', message: `Internal error occurred: ${message}` }));
}
