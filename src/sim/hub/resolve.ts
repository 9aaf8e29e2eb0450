/**
 * `GET|HEAD /{repo_id}/resolve/{revision}/{path}` of the Hub stand-in: the file's bytes with
 * `Range` support (one range: `bytes=a-b`, `bytes=a-`, `bytes=-n` → 206 with Content-Range;
 * unsatisfiable → 416), `ETag` (the LFS sha256 for LFS files, else the Git blob oid),
 * `X-Linked-Etag`/`X-Linked-Size` for LFS files, `X-Repo-Commit`, `Content-Length`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { RepoContent } from './content.js';

/** A parsed single byte range, inclusive `start`..`end`; 'invalid' when unsatisfiable; undefined when absent or not a single range. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'invalid' | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return undefined;
  const [, a = '', b = ''] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const n = Number(b);
    if (n === 0) return 'invalid';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (start >= size || end < start) return 'invalid';
  return { start, end };
}

const TYPES: Record<string, string> = { json: 'application/json', md: 'text/markdown; charset=utf-8', txt: 'text/plain; charset=utf-8' };

/** Serves the file (it exists and the caller may read it). Aborted downloads end quietly. */
export async function serveFile(req: IncomingMessage, res: ServerResponse, repo: RepoContent, path: string): Promise<void> {
  const f = repo.describe(path);
  const ext = path.split('.').at(-1) ?? '';
  const etag = `"${f.lfs ? f.lfs.oid : f.oid}"`;
  const headers: Record<string, string | number> = {
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'accept-ranges': 'bytes',
    etag,
    'x-repo-commit': repo.sha,
    'content-disposition': `inline; filename="${path.split('/').at(-1) ?? path}"`,
    ...(f.lfs ? { 'x-linked-etag': etag, 'x-linked-size': f.size } : {}),
  };
  const range = parseRange(req.headers.range, f.size);
  if (range === 'invalid') {
    res.writeHead(416, { ...headers, 'content-range': `bytes */${f.size}`, 'content-length': 0 });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range ? range.end + 1 : f.size;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': end - start,
    ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${f.size}` } : {}),
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    await pipeline(repo.stream(path, start, end), res);
  } catch {
    // The client went away mid-download: nothing to answer.
  }
}
