/**
 * Small HTTP helpers of the simulated model servers: read a request body, answer JSON.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads the whole request body (bytes). Request bodies of model servers are small (a prompt). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks);
}

/** Answers `status` with `body` as JSON (`application/json`, Content-Length set). */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
