/**
 * The Hugging Face Hub stand-in: `GET /api/models/{repo_id}[/revision/{rev}]` (model info,
 * `expand` honoured), `GET /api/models/{repo_id}/tree/{rev}[/{path}]` (`recursive`, `expand`,
 * pages linked by a `Link: <…>; rel="next"` header), `GET|HEAD /{repo_id}/resolve/{rev}/{path}`
 * (Range → 206 + Content-Range, `X-Repo-Commit`, ETag), `GET /api/whoami-v2`; gated repos and
 * token checks as in ./auth.ts. Works with the real `@huggingface/hub` (`hubUrl` = this server).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HubBackend } from '../types.js';
import { callerOf, DEFAULT_TOKENS, fileAccess, INVALID_TOKEN, type Caller, type HubRefusal, type HubTokenTable } from './auth.js';
import { CATALOG, type HubModel } from './catalog.js';
import { RepoContent, type HubFile } from './content.js';
import { serveFile } from './resolve.js';

export { DEFAULT_TOKENS, type HubTokenInfo, type HubTokenTable } from './auth.js';
export { CATALOG, type HubModel } from './catalog.js';

/** Options of createHub. */
export interface HubOptions {
  /** Token table; default DEFAULT_TOKENS (`hf_demo_valid` may read everything). */
  tokens?: HubTokenTable;
  /** Models served; default CATALOG. */
  catalog?: HubModel[];
  /** Entries per tree page (the Hub pages its tree listing); default 1000, 50 with `expand=true`. */
  treePageSize?: number;
}

/**
 * The stand-in, plus the file list of a model (what a copy must produce: path and size in bytes).
 * `revokeToken` and `withdrawLicences` (the scenarios' hooks) are always present.
 */
export type SimHub = HubBackend & Required<Pick<HubBackend, 'revokeToken' | 'withdrawLicences'>> & {
  /** Every file of a repo with size and hashes; undefined when the repo is unknown. */
  files(repoId: string): HubFile[] | undefined;
  /** The token table in use (mutable: tests and scenarios may add or change tokens). */
  tokens: HubTokenTable;
};

const COMMIT_DATE = '2024-09-18T14:07:12.000Z';

/** Creates the stand-in. Never throws on a request: every failure is an HTTP answer. */
export function createHub(options: HubOptions = {}): SimHub {
  const tokens: HubTokenTable = { ...(options.tokens ?? DEFAULT_TOKENS) };
  const repos = new Map((options.catalog ?? CATALOG).map((m) => [m.id, new RepoContent(m)]));

  /** The repo whose id starts `rest` (`org/name/...`), and what follows it. */
  const findRepo = (rest: string): { repo: RepoContent; tail: string } | undefined => {
    for (const [id, repo] of repos) {
      if (rest === id) return { repo, tail: '' };
      if (rest.startsWith(`${id}/`)) return { repo, tail: rest.slice(id.length + 1) };
    }
    return undefined;
  };

  const handler: HubBackend['handler'] = async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://hub');
      const path = decodeURIComponent(url.pathname);
      const method = req.method ?? 'GET';
      const caller = callerOf(req.headers.authorization, tokens);
      if (caller.kind === 'invalid') return refuse(res, INVALID_TOKEN);
      if (path === '/api/whoami-v2' && method === 'GET') return whoami(res, caller);
      if (path.startsWith('/api/models/') && method === 'GET') {
        const found = findRepo(path.slice('/api/models/'.length));
        if (!found) return refuse(res, repoNotFound(caller));
        const [verb, rev, ...rest] = found.tail.split('/');
        if (found.tail === '') return info(res, found.repo, url.searchParams);
        if (verb === 'revision' && rev !== undefined && rest.length === 0) {
          if (!revisionOk(found.repo, rev)) return refuse(res, badRevision(rev));
          return info(res, found.repo, url.searchParams);
        }
        if (verb === 'tree' && rev !== undefined) {
          if (!revisionOk(found.repo, rev)) return refuse(res, badRevision(rev));
          return tree(req, res, found.repo, rev, rest.join('/'), url.searchParams, options.treePageSize);
        }
        return refuse(res, { status: 404, message: 'Not Found' });
      }
      const resolve = /^\/(.+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
      if (resolve && (method === 'GET' || method === 'HEAD')) {
        const found = findRepo(resolve[1] ?? '');
        if (!found || found.tail !== '') return refuse(res, repoNotFound(caller));
        const rev = resolve[2] ?? '';
        if (!revisionOk(found.repo, rev)) return refuse(res, badRevision(rev));
        const file = resolve[3] ?? '';
        // Access first: a gated repo refuses every path, existing or not.
        const denied = fileAccess(found.repo.model, caller);
        if (denied) return refuse(res, denied);
        if (!found.repo.has(file)) return refuse(res, { status: 404, code: 'EntryNotFound', message: `${file} does not exist on "${rev}"` });
        return serveFile(req, res, found.repo, file);
      }
      refuse(res, { status: 404, message: 'Not Found' });
    } catch (err) {
      if (!res.headersSent) sendJson(res, 500, { error: String(err) });
      else res.destroy();
    }
  };

  return {
    handler,
    tokens,
    models: () => [...repos.keys()],
    revokeToken: (token) => {
      delete tokens[token];
    },
    withdrawLicences: (token) => {
      const info = tokens[token];
      if (info) tokens[token] = { ...info, acceptedLicences: [] };
    },
    files: (repoId) => {
      const repo = repos.get(repoId);
      return repo?.model.files.map((f) => repo.describe(f.path));
    },
  };
}

function revisionOk(repo: RepoContent, rev: string): boolean {
  return rev === 'main' || rev === 'HEAD' || rev === repo.sha;
}

function badRevision(rev: string): HubRefusal {
  return { status: 404, code: 'RevisionNotFound', message: `Invalid rev id: ${rev}` };
}

/** Unknown repo: 401 anonymously (the Hub does not confirm existence), 404 with a token. */
function repoNotFound(caller: Caller): HubRefusal {
  return { status: caller.kind === 'anonymous' ? 401 : 404, code: 'RepoNotFound', message: 'Repository not found' };
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The Hub's error answer: `{"error": message}` with `X-Error-Code` / `X-Error-Message` headers. */
function refuse(res: ServerResponse, r: HubRefusal): void {
  sendJson(res, r.status, { error: r.message }, { ...(r.code ? { 'x-error-code': r.code } : {}), 'x-error-message': r.message });
}

function whoami(res: ServerResponse, caller: Caller): void {
  if (caller.kind !== 'token') return refuse(res, { status: 401, message: 'Invalid credentials in Authorization header' });
  const fine = caller.info.fineGrained;
  sendJson(res, 200, {
    type: 'user', name: caller.info.name, fullname: caller.info.name,
    auth: { type: 'access_token', accessToken: { displayName: 'wizard', role: fine ? 'fineGrained' : 'read', ...(fine ? { fineGrained: { canReadGatedRepos: fine.gatedRead, scoped: [] } } : {}) } },
  });
}

/** Model info; with `expand` parameters only `_id`, `id` and the expanded members, as the Hub answers. */
function info(res: ServerResponse, repo: RepoContent, query: URLSearchParams): void {
  const m = repo.model;
  const full: Record<string, unknown> = {
    _id: repo.sha.slice(0, 24), id: m.id, modelId: m.id, author: m.id.split('/')[0], sha: repo.sha, lastModified: COMMIT_DATE,
    private: false, disabled: false, gated: m.gated, pipeline_tag: m.pipelineTag, library_name: m.libraryName, tags: m.tags,
    downloads: 1000 + (repo.sha.charCodeAt(0) % 97) * 131, likes: 100 + (repo.sha.charCodeAt(1) % 89), createdAt: '2024-05-01T00:00:00.000Z',
    config: m.config, cardData: { license: m.license, pipeline_tag: m.pipelineTag, library_name: m.libraryName },
    siblings: m.files.map((f) => ({ rfilename: f.path })),
    usedStorage: m.files.reduce((n, f) => n + repo.size(f.path), 0),
  };
  const expand = query.getAll('expand');
  const body = expand.length === 0 ? full : Object.fromEntries([['_id', full._id], ['id', full.id], ...expand.filter((k) => k in full).map((k) => [k, full[k]])]);
  sendJson(res, 200, body);
}

/** Tree listing of a folder (`dir` '' = root), paged with a `Link` header. */
function tree(req: IncomingMessage, res: ServerResponse, repo: RepoContent, rev: string, dir: string, query: URLSearchParams, pageSize?: number): void {
  const recursive = query.get('recursive') === 'true' || query.get('recursive') === '1';
  const expand = query.get('expand') === 'true' || query.get('expand') === '1';
  const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
  const paths = repo.model.files.map((f) => f.path);
  const dirs = new Set<string>();
  for (const p of paths) {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  if (prefix !== '' && !dirs.has(prefix.slice(0, -1))) {
    return refuse(res, { status: 404, code: 'EntryNotFound', message: `${dir} does not exist on "${rev}"` });
  }
  const within = (p: string): boolean => p.startsWith(prefix) && (recursive || !p.slice(prefix.length).includes('/'));
  const entries: Record<string, unknown>[] = [
    ...[...dirs].filter(within).map((p) => ({ type: 'directory', oid: repo.describeDirOid(p), size: 0, path: p })),
    ...paths.filter(within).map((p) => {
      const f = repo.describe(p);
      return { type: 'file', oid: f.oid, size: f.size, path: p, ...(f.lfs ? { lfs: f.lfs } : {}) };
    }),
  ].sort((a, b) => String(a.path).localeCompare(String(b.path)));
  const size = Math.max(1, pageSize ?? (expand ? 50 : 1000));
  const start = Number(Buffer.from(query.get('cursor') ?? '', 'base64url').toString('utf8')) || 0;
  const page = entries.slice(start, start + size).map((e) =>
    expand ? { ...e, lastCommit: { id: repo.sha, title: 'Upload folder using huggingface_hub', date: COMMIT_DATE }, securityFileStatus: { status: 'safe' } } : e,
  );
  const headers: Record<string, string> = {};
  if (start + size < entries.length) {
    const next = new URLSearchParams(query);
    next.set('cursor', Buffer.from(String(start + size)).toString('base64url'));
    const proto = String(req.headers['x-forwarded-proto'] ?? 'http');
    headers.link = `<${proto}://${req.headers.host ?? 'localhost'}/api/models/${repo.model.id}/tree/${rev}${dir === '' ? '' : `/${dir}`}?${next.toString()}>; rel="next"`;
  }
  sendJson(res, 200, page, headers);
}
