/**
 * The S3 adapter (ARCHITECTURE.md "cluster/ adapters"): `@aws-sdk/client-s3` and
 * `@aws-sdk/lib-storage` with every request sent through the ONE HTTP layer (http.ts): a smithy
 * request handler (`LayerRequestHandler`) that hands each request to undici's `request` on the
 * layer's dispatcher, so CAs, proxies and the route-host routing of demo mode apply to S3 exactly
 * as to every other service.
 *
 * Facts encoded here:
 * - OBC buckets on ODF (Ceph RGW, NooBaa) are addressed path-style (`forcePathStyle`): their
 *   Routes carry one host, no wildcard for `<bucket>.<host>`.
 * - Checksums only when an operation requires them (`requestChecksumCalculation: WHEN_REQUIRED`):
 *   AWS SDK v3 (2025+) otherwise sends CRC32 trailers that older RGW/NooBaa versions refuse.
 * - No `Expect: 100-continue` (`expectContinueHeader: false`): the SDK adds it for Node request
 *   handlers other than FetchHttpHandler, and undici refuses that header (NotSupportedError).
 * - S3's minimum multipart part size is 5 MiB (all parts but the last; S3 API, UploadPart).
 */
import { HeadBucketCommand, S3Client, S3ServiceException, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { HttpResponse, buildQueryString } from '@smithy/core/protocols';
import type { HttpRequest } from '@smithy/core/protocols';
import type { Readable } from 'node:stream';
import { request as undiciRequest } from 'undici';
import { UserError, isAbort, messageOf } from '../engine/errors.js';
import type { HttpLayer } from './http.js';

/** S3's minimum size of a multipart part, in bytes (5 MiB). */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

/** What `createS3Client` needs. Keys are held only in memory (the client). */
export interface S3ClientOptions {
  /** Endpoint URL with scheme, e.g. `https://s3-openshift-storage.apps.example.com`. */
  endpoint: string;
  /** Region for SigV4 (`BUCKET_REGION`; RGW and NooBaa accept `us-east-1` when empty). */
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  http: HttpLayer;
}

/** Per-request options the SDK passes to a request handler (smithy `HttpHandlerOptions`); `requestTimeout` in milliseconds. */
export interface LayerHandlerOptions {
  abortSignal?: AbortSignal | { aborted: boolean };
  requestTimeout?: number;
}

/** Headers the SDK may set that undici's `request` refuses (it manages them itself). */
const UNDICI_MANAGED = new Set(['expect', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade']);

/**
 * A smithy request handler (the SDK's `requestHandler`) that sends each signed request with
 * undici's `request` through the HTTP layer's dispatcher. The body goes out as the SDK built it:
 * lib-storage's part Buffer is written to the socket as is (no `Request` object, no second copy),
 * a stream is streamed. The answer's body is undici's Node Readable, which the SDK's Node stream
 * collector reads. Errors are undici's (e.g. `code` ECONNREFUSED, which the SDK's retry strategy
 * treats as transient; AbortError when the signal fires).
 */
export class LayerRequestHandler {
  /** smithy `RequestHandlerMetadata`. */
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly #http: HttpLayer;

  constructor(http: HttpLayer) {
    this.#http = http;
  }

  /**
   * Sends one request; resolves with the answer (any status) as a smithy HttpResponse.
   * @throws undici's errors: connection errors (with `code`, e.g. ECONNREFUSED), RequestAbortedError
   *   (name AbortError) when `abortSignal` fires, HeadersTimeoutError past `requestTimeout` ms.
   */
  async handle(request: HttpRequest, options: LayerHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const query = buildQueryString(request.query ?? {});
    const port = request.port ? `:${request.port}` : '';
    const url = `${request.protocol}//${request.hostname}${port}${request.path}${query ? `?${query}` : ''}`;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) if (!UNDICI_MANAGED.has(k.toLowerCase())) headers[k] = v;
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD' && request.body != null;
    // The SDK passes what the caller gave (`abortSignal`); undici takes anything with addEventListener.
    const signal = options.abortSignal && 'addEventListener' in options.abortSignal ? (options.abortSignal as AbortSignal) : undefined;
    const res = await undiciRequest(url, {
      method: request.method as 'PUT',
      headers,
      ...(hasBody ? { body: request.body as Uint8Array | string | Readable } : {}),
      dispatcher: this.#http.dispatcher,
      ...(signal ? { signal } : {}),
      ...(options.requestTimeout ? { headersTimeout: options.requestTimeout } : {}),
    });
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
    return { response: new HttpResponse({ statusCode: res.statusCode, headers: out, body: res.body }) };
  }

  /** smithy handler configuration hooks: this handler has no settings of its own. */
  updateHttpClientConfig(): void {}

  /** smithy handler configuration hooks: this handler has no settings of its own. */
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  /** Nothing to close: the dispatcher belongs to the HTTP layer (`HttpLayer.close`). */
  destroy(): void {}
}

/** Builds an S3 client whose traffic goes through the HTTP layer (path-style, checksums when required). */
export function createS3Client(options: S3ClientOptions): S3Client {
  return new S3Client({
    endpoint: options.endpoint,
    region: options.region || 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    expectContinueHeader: false,
    maxAttempts: 3,
    requestHandler: new LayerRequestHandler(options.http),
  });
}

/** HTTP status of an S3 SDK error, when it has one. */
export function s3Status(err: unknown): number | undefined {
  return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

/**
 * Turns an S3 failure into a person-fixable UserError: `s3.bucket-missing` (404 NoSuchBucket),
 * `s3.denied` (403: InvalidAccessKeyId, SignatureDoesNotMatch, AccessDenied), `s3.unreachable`
 * (no HTTP answer, or 502/503 from the router). Others are returned unchanged. `where` names the endpoint and bucket.
 */
export function mapS3Error(err: unknown, where: { endpoint: string; bucket: string }): unknown {
  if (isAbort(err)) return err;
  const status = s3Status(err);
  const name = err instanceof S3ServiceException ? err.name : (err as { name?: string }).name;
  if (status === 404 || name === 'NoSuchBucket' || name === 'NotFound') {
    return new UserError('s3.bucket-missing', `bucket ${where.bucket} does not exist at ${where.endpoint}`, {
      fix: 'check the bucket name (for an ObjectBucketClaim: `oc get configmap models -o jsonpath={.data.BUCKET_NAME}`)',
      cause: err,
    });
  }
  if (status === 403 || status === 401) {
    return new UserError('s3.denied', `${where.endpoint} refused the credentials for bucket ${where.bucket} (${name ?? status})`, {
      fix: 'check the access key and secret key (for an ObjectBucketClaim they are in its Secret; for existing S3, enter them again)',
      cause: err,
    });
  }
  if (status === 502 || status === 503) {
    return new UserError('s3.unreachable', `the S3 endpoint ${where.endpoint} answered HTTP ${status}: no Route serves that host, or the object store is down`, {
      fix: 'check the external S3 endpoint (`oc get route -n openshift-storage`) and the object store pods',
      cause: err,
    });
  }
  if (status === undefined) {
    return new UserError('s3.unreachable', `cannot reach the S3 endpoint ${where.endpoint}: ${messageOf(err)}`, {
      fix: 'check the external S3 endpoint (the object store Route, e.g. `oc get route -n openshift-storage`) and the --ca-file for its certificate',
      cause: err,
    });
  }
  return err;
}

/**
 * `HeadBucket`: resolves when the bucket exists and the credentials may use it.
 * @throws UserError `s3.bucket-missing`, `s3.denied`, `s3.unreachable` (see mapS3Error).
 */
export async function headBucket(client: S3Client, bucket: string, endpoint: string, signal?: AbortSignal): Promise<void> {
  try {
    await client.send(new HeadBucketCommand({ Bucket: bucket }), signal ? { abortSignal: signal } : {});
  } catch (err) {
    throw mapS3Error(err, { endpoint, bucket });
  }
}

/**
 * Every object under `prefix` (ListObjectsV2, paged): key → size in bytes.
 * @throws like headBucket.
 */
export async function listObjectSizes(client: S3Client, bucket: string, prefix: string, endpoint: string, signal?: AbortSignal): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  try {
    const pages = paginateListObjectsV2({ client, ...(signal ? { abortSignal: signal } : {}) } as Parameters<typeof paginateListObjectsV2>[0], { Bucket: bucket, Prefix: prefix });
    for await (const page of pages) {
      for (const o of page.Contents ?? []) if (o.Key !== undefined) out.set(o.Key, o.Size ?? 0);
    }
  } catch (err) {
    throw mapS3Error(err, { endpoint, bucket });
  }
  return out;
}

/** What `uploadStream` uploads. */
export interface UploadArgs {
  bucket: string;
  key: string;
  /** The object's content, read once, never held whole: lib-storage keeps at most `queueSize` parts. */
  body: Readable;
  /** Part size in bytes (at least MIN_PART_SIZE); a body larger than one part goes multipart. */
  partSize: number;
  /** Parts uploaded at once (default 2): memory is at most `queueSize × partSize` bytes. */
  queueSize?: number;
  signal?: AbortSignal;
  /** Called with the bytes sent so far of this object. */
  onProgress?: (loaded: number) => void;
  endpoint: string;
}

/**
 * Streams one object into S3 with lib-storage's `Upload` (PutObject for one part, multipart
 * otherwise; an aborted multipart upload is aborted on the server too).
 * @throws AbortError when `signal` fires; UserError from mapS3Error; otherwise the SDK's error.
 */
export async function uploadStream(client: S3Client, args: UploadArgs): Promise<void> {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  args.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (args.signal?.aborted) throw new DOMException('upload aborted', 'AbortError');
    const upload = new Upload({
      client,
      params: { Bucket: args.bucket, Key: args.key, Body: args.body },
      partSize: Math.max(MIN_PART_SIZE, args.partSize),
      queueSize: args.queueSize ?? 2,
      leavePartsOnError: false,
      abortController: controller,
    });
    upload.on('httpUploadProgress', (p) => {
      if (p.loaded !== undefined) args.onProgress?.(p.loaded);
    });
    await upload.done();
  } catch (err) {
    if (args.signal?.aborted) throw new DOMException(`upload of ${args.key} aborted`, 'AbortError');
    throw mapS3Error(err, { endpoint: args.endpoint, bucket: args.bucket });
  } finally {
    args.signal?.removeEventListener('abort', onAbort);
  }
}
