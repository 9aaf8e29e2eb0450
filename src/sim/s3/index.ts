/**
 * The simulated S3 object store behind the bucket host (what RGW or NooBaa serve on a real
 * cluster): a real S3-protocol server (`s3rver`, in-process through its Koa callback), in front
 * of which this module
 * - accepts only the access key it handed out (403 `InvalidAccessKeyId` otherwise), checks the
 *   SigV4 signature with the secret key (403 `SignatureDoesNotMatch`), refuses anonymous requests
 *   (403 `AccessDenied`);
 * - maps virtual-host-style requests (`<bucket>.<host>`) onto path-style ones;
 * - decodes `aws-chunked` bodies (streamed uploads of current AWS SDKs).
 * Objects live in a temporary directory, or under `dir` so that a restarted simulation finds them.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3Backend } from '../types.js';
import { AwsChunkedDecoder, isAwsChunked } from './aws-chunked.js';
import { handleExtraOps, sendS3Error } from './extra-ops.js';
import { createS3rverApp } from './s3rver.js';
import { parseSigV4, verifySigV4 } from './sigv4.js';

/** Options of createS3. */
export interface S3Options {
  /** State directory: buckets under `<dir>/buckets`, the credentials in `<dir>/credentials.json` (mode 0600). */
  dir?: string;
  /** Credentials to hand out; generated (AWS-shaped: 20 and 40 characters) when absent, or read back from `dir`. */
  accessKeyId?: string;
  secretAccessKey?: string;
  /**
   * Host names of the S3 endpoint itself (e.g. `s3.openshift-storage.svc`): `<bucket>.<one of these>`
   * is virtual-host style even for a bucket that does not exist yet. Besides these, a Host whose
   * first label names an existing bucket is taken as virtual-host style.
   */
  endpointHosts?: string[];
}

/** The simulated store, with `close()` (removes the temporary directory when no `dir` was given). */
export type SimS3 = S3Backend & { close(): Promise<void> };

/** S3's XML error document with a request id. */
function s3Error(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  sendS3Error(req, res, status, code, message, { ...extra, RequestId: randomBytes(8).toString('hex').toUpperCase() });
}

async function credentialsFor(options: S3Options): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  if (options.accessKeyId && options.secretAccessKey) return { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
  const file = options.dir === undefined ? undefined : path.join(options.dir, 'credentials.json');
  if (file) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    } catch {
      // first start: generate below
    }
  }
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const creds = {
    accessKeyId: Array.from(randomBytes(20), (b) => alphabet[b % alphabet.length]).join(''),
    secretAccessKey: randomBytes(30).toString('base64').slice(0, 40),
  };
  if (file) await writeFile(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

/** Starts the simulated store. Rejects when the directory cannot be created. */
export async function createS3(options: S3Options = {}): Promise<SimS3> {
  if (options.dir !== undefined) await mkdir(options.dir, { recursive: true });
  const root = options.dir === undefined ? await mkdtemp(path.join(tmpdir(), 'maas-sim-s3-')) : options.dir;
  const bucketsDir = path.join(root, 'buckets');
  await mkdir(bucketsDir, { recursive: true });
  const { accessKeyId, secretAccessKey } = await credentialsFor({ ...options, dir: root });
  const app = createS3rverApp(bucketsDir, accessKeyId, secretAccessKey);
  app.on('error', () => undefined);
  const serveS3 = app.callback();
  const endpointHosts = (options.endpointHosts ?? []).map((h) => h.toLowerCase());

  /** The bucket named by a virtual-host-style Host header, if it is one. */
  const hostBucket = async (hostHeader: string | undefined): Promise<string | undefined> => {
    const host = (hostHeader ?? '').replace(/:\d+$/, '').toLowerCase();
    if (host === '' || host === 'localhost' || isIP(host.replace(/^\[|\]$/g, '')) !== 0) return undefined;
    for (const e of endpointHosts) if (host.endsWith(`.${e}`)) return host.slice(0, -e.length - 1);
    const dot = host.indexOf('.');
    if (dot <= 0) return undefined;
    const label = host.slice(0, dot);
    return (await app.store.getBucket(label)) ? label : undefined;
  };

  /** The access key a request presents and whether its signature holds; undefined when anonymous. */
  const checkAuth = async (req: IncomingMessage, rawUrl: string): Promise<{ code: string; message: string; key?: string } | undefined | 'ok'> => {
    const authz = req.headers.authorization;
    const query = new URL(rawUrl, 'http://s3').searchParams;
    let key: string | undefined;
    if (authz !== undefined) {
      if (authz.startsWith('AWS4-HMAC-SHA256')) {
        const parsed = parseSigV4(authz);
        if (!parsed) return { code: 'AuthorizationHeaderMalformed', message: 'The authorization header is malformed.' };
        if (parsed.accessKeyId !== accessKeyId) return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', key: parsed.accessKeyId };
        if (!(await verifySigV4(req, rawUrl, parsed, secretAccessKey))) {
          return { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', key: parsed.accessKeyId };
        }
        return 'ok';
      }
      key = /^AWS\s+([^:]+):/.exec(authz)?.[1];
    } else {
      key = query.get('X-Amz-Credential')?.split('/')[0] ?? query.get('AWSAccessKeyId') ?? undefined;
      if (key === undefined) return undefined;
    }
    if (key !== accessKeyId) return { code: 'InvalidAccessKeyId', message: 'The AWS Access Key Id you provided does not exist in our records.', ...(key ? { key } : {}) };
    return 'ok';
  };

  const handler: S3Backend['handler'] = async (req, res) => {
    const rawUrl = req.url ?? '/';
    const auth = await checkAuth(req, rawUrl);
    if (auth === undefined) return s3Error(req, res, 403, 'AccessDenied', 'Access Denied');
    if (auth !== 'ok') return s3Error(req, res, 403, auth.code, auth.message, auth.key ? { AWSAccessKeyId: auth.key } : {});
    const bucket = await hostBucket(req.headers.host);
    if (bucket !== undefined) req.url = `/${bucket}${rawUrl.startsWith('/') ? rawUrl : `/${rawUrl}`}`;
    const url = new URL(req.url ?? '/', 'http://s3');
    if (await handleExtraOps(app, req, res, url.pathname, url.searchParams)) return;
    if (!isAwsChunked(req.headers)) return serveS3(req, res);
    // Current SDKs stream uploads as aws-chunked: hand s3rver the decoded payload instead.
    const decoded = req.pipe(new AwsChunkedDecoder());
    decoded.on('error', () => res.destroy());
    const headers = { ...req.headers };
    const decodedLength = headers['x-amz-decoded-content-length'];
    if (decodedLength !== undefined) headers['content-length'] = String(decodedLength);
    else delete headers['content-length'];
    const encodings = String(headers['content-encoding'] ?? '').split(',').map((e) => e.trim()).filter((e) => e !== '' && e !== 'aws-chunked');
    if (encodings.length > 0) headers['content-encoding'] = encodings.join(', ');
    else delete headers['content-encoding'];
    delete headers['x-amz-trailer'];
    const substitute = Object.assign(decoded, {
      headers, rawHeaders: [], method: req.method, url: req.url, httpVersion: req.httpVersion,
      httpVersionMajor: req.httpVersionMajor, httpVersionMinor: req.httpVersionMinor, socket: req.socket, connection: req.socket,
    }) as unknown as IncomingMessage;
    return serveS3(substitute, res);
  };

  return {
    accessKeyId,
    secretAccessKey,
    handler,
    ensureBucket: async (name) => {
      if (!(await app.store.getBucket(name))) await app.store.putBucket(name);
    },
    listObjects: async (bucket, prefix) => {
      if (!(await app.store.getBucket(bucket))) return [];
      const { objects } = await app.store.listObjects(bucket, { prefix });
      return objects.map((o) => ({ key: o.key, size: o.size }));
    },
    close: async () => {
      app.logger.close();
      if (options.dir === undefined) await rm(root, { recursive: true, force: true });
    },
  };
}
