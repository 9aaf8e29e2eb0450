/**
 * Checks the AWS Signature Version 4 `Authorization` header of an S3 request by signing the same
 * canonical request again with `@smithy/signature-v4` (the signer the AWS SDK itself uses, S3
 * settings: no path re-escaping) and the secret key handed out in the OBC Secret.
 * Reference: AWS "Authenticating Requests (AWS Signature Version 4)" for Amazon S3.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';

/** The parts of an `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header. */
export interface SigV4Header {
  accessKeyId: string;
  /** `YYYYMMDD` of the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses a SigV4 Authorization header; undefined when it is not one. */
export function parseSigV4(authorization: string): SigV4Header | undefined {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(authorization.trim());
  if (!m?.[1]) return undefined;
  const parts = Object.fromEntries(m[1].split(',').map((p) => {
    const i = p.indexOf('=');
    return [p.slice(0, i).trim(), p.slice(i + 1).trim()];
  })) as Record<string, string | undefined>;
  const [accessKeyId, date, region, service] = (parts.Credential ?? '').split('/');
  if (!accessKeyId || !date || !region || !service || !parts.SignedHeaders || !parts.Signature) return undefined;
  return { accessKeyId, date, region, service, signedHeaders: parts.SignedHeaders.split(';'), signature: parts.Signature };
}

/** Node's crypto as the `Checksum` constructor the signer takes (HMAC when given a secret). */
class NodeSha256 {
  private hash: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
  private readonly secret: Buffer | undefined;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.secret = secret === undefined ? undefined : toBuffer(secret);
    this.hash = this.fresh();
  }
  private fresh(): ReturnType<typeof createHash> | ReturnType<typeof createHmac> {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: string | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** Query parameters of a raw URL query string, decoded (repeated keys become arrays). */
function parseQuery(raw: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const pair of raw.split('&')) {
    if (pair === '') continue;
    const i = pair.indexOf('=');
    const k = decodeURIComponent(i < 0 ? pair : pair.slice(0, i));
    const v = i < 0 ? '' : decodeURIComponent(pair.slice(i + 1));
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/**
 * True when the request's SigV4 signature is the one `secretAccessKey` produces for it.
 * `rawUrl` is the request target as received (before any rewriting). The payload is not read:
 * the signed `x-amz-content-sha256` value stands for it, as S3 itself does.
 */
export async function verifySigV4(req: IncomingMessage, rawUrl: string, auth: SigV4Header, secretAccessKey: string): Promise<boolean> {
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const dm = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!dm) return false;
  const signingDate = new Date(Date.UTC(+dm[1]!, +dm[2]! - 1, +dm[3]!, +dm[4]!, +dm[5]!, +dm[6]!));
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const v = req.headers[name];
    if (v === undefined) return false;
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  const q = rawUrl.indexOf('?');
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: NodeSha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: req.method ?? 'GET', protocol: 'http:', hostname: String(req.headers.host ?? ''),
      path: q < 0 ? rawUrl : rawUrl.slice(0, q), query: q < 0 ? {} : parseQuery(rawUrl.slice(q + 1)), headers,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders) },
  );
  const got = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? ''))?.[1] ?? '';
  return got.length === auth.signature.length && timingSafeEqual(Buffer.from(got), Buffer.from(auth.signature));
}
