/**
 * S3 operations answered here rather than by s3rver 3.7.1:
 * - ListObjectsV2 (`GET /{bucket}?list-type=2`): s3rver builds continuation tokens with the DES
 *   cipher, which OpenSSL 3 (Node ≥ 17) no longer offers, so any truncated listing failed with
 *   InternalError. Tokens here are opaque base64url of the last key returned.
 * - AbortMultipartUpload (`DELETE /{bucket}/{key}?uploadId=…`): s3rver does not implement it.
 * Response shapes: Amazon S3 API Reference, ListObjectsV2 and AbortMultipartUpload.
 */
import { rm, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { S3rverApp } from './s3rver.js';

const xml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Answers an S3 error document (no body for HEAD). */
export function sendS3Error(req: IncomingMessage, res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  const fields = Object.entries({ Code: code, Message: message, ...extra }).map(([k, v]) => `<${k}>${xml(v)}</${k}>`).join('');
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${fields}</Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': req.method === 'HEAD' ? 0 : Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** `{bucket, key}` of a path-style request path (key '' for bucket requests). */
export function splitPath(pathname: string): { bucket: string; key: string } {
  const rest = pathname.replace(/^\/+/, '');
  const i = rest.indexOf('/');
  return i < 0 ? { bucket: decodeURIComponent(rest), key: '' } : { bucket: decodeURIComponent(rest.slice(0, i)), key: decodeURIComponent(rest.slice(i + 1)) };
}

/**
 * Handles the request when it is one of the operations above; returns false to let s3rver have it.
 * `pathname` and `query` are those of the path-style request.
 */
export async function handleExtraOps(app: S3rverApp, req: IncomingMessage, res: ServerResponse, pathname: string, query: URLSearchParams): Promise<boolean> {
  const { bucket, key } = splitPath(pathname);
  if (bucket === '') return false;
  if (req.method === 'GET' && key === '' && query.get('list-type') === '2') {
    await listObjectsV2(app, req, res, bucket, query);
    return true;
  }
  if (req.method === 'DELETE' && key !== '' && query.has('uploadId')) {
    const dir = path.join(app.store.getResourcePath(bucket, undefined, 'uploads'), query.get('uploadId') ?? '');
    const exists = await stat(dir).then((s) => s.isDirectory(), () => false);
    if (!exists || (query.get('uploadId') ?? '').includes('/')) {
      sendS3Error(req, res, 404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', { UploadId: query.get('uploadId') ?? '' });
    } else {
      await rm(dir, { recursive: true, force: true });
      res.writeHead(204);
      res.end();
    }
    return true;
  }
  return false;
}

async function listObjectsV2(app: S3rverApp, req: IncomingMessage, res: ServerResponse, bucket: string, query: URLSearchParams): Promise<void> {
  if (!(await app.store.getBucket(bucket))) {
    return sendS3Error(req, res, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
  }
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeys = Math.min(1000, Math.max(0, Number(query.get('max-keys') ?? 1000) || 0));
  const token = query.get('continuation-token');
  let startAfter = query.get('start-after') ?? '';
  if (token !== null) {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (!decoded.startsWith('k:')) return sendS3Error(req, res, 400, 'InvalidArgument', 'The continuation token provided is incorrect', { ArgumentName: 'continuation-token' });
    startAfter = decoded.slice(2);
  }
  const url = query.get('encoding-type') === 'url';
  const enc = (s: string): string => xml(url ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
  const listed = await app.store.listObjects(bucket, { prefix, delimiter, startAfter, maxKeys });
  const last = listed.objects.at(-1)?.key;
  const contents = listed.objects.map((o) =>
    `<Contents><Key>${enc(o.key)}</Key><LastModified>${o.lastModifiedDate.toISOString()}</LastModified>` +
    `<ETag>${xml(String(o.metadata.etag ?? ''))}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`).join('');
  const prefixes = listed.commonPrefixes.map((p) => `<CommonPrefixes><Prefix>${enc(p)}</Prefix></CommonPrefixes>`).join('');
  const truncated = listed.isTruncated && last !== undefined;
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    `<Name>${xml(bucket)}</Name><Prefix>${enc(prefix)}</Prefix>${delimiter ? `<Delimiter>${enc(delimiter)}</Delimiter>` : ''}` +
    `<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${listed.objects.length + listed.commonPrefixes.length}</KeyCount>` +
    (token !== null ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : '') +
    (query.has('start-after') ? `<StartAfter>${enc(query.get('start-after') ?? '')}</StartAfter>` : '') +
    (url ? '<EncodingType>url</EncodingType>' : '') +
    `<IsTruncated>${truncated}</IsTruncated>` +
    (truncated ? `<NextContinuationToken>${Buffer.from(`k:${last}`).toString('base64url')}</NextContinuationToken>` : '') +
    `${contents}${prefixes}</ListBucketResult>`;
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
