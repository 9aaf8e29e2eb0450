/**
 * The request log (SIMULATOR.md §5): one JSON line per request to any simulated service,
 * `{at, service, method, path, status, bodyKeys}`. Never a value that could be secret: query values
 * of `access_token`, `token`, `password` (and similar) become `***`; of the body only the names of
 * the top-level keys (JSON object or form fields) are kept.
 */
import { appendFile } from 'node:fs/promises';
import type { HostHandler } from '../types.js';

/** One logged request. `at` is an ISO-8601 time; `status` the HTTP status answered (0 when the connection dropped). */
export interface RequestLogEntry {
  at: string;
  service: string;
  method: string;
  path: string;
  status: number;
  bodyKeys: string[];
}

const SECRET_QUERY_KEYS = /^(access_token|token|password|client_secret|secret|api_key|user_key|app_key|provider_key)$/i;

/** The request path with the values of secret-looking query parameters replaced by `***`. */
export function redactPath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = url.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? pair : pair.slice(0, eq);
    let decoded = key;
    try {
      decoded = decodeURIComponent(key);
    } catch {
      // keep the raw key
    }
    return SECRET_QUERY_KEYS.test(decoded) && eq >= 0 ? `${key}=***` : pair;
  });
  return `${url.slice(0, q)}?${params.join('&')}`;
}

/** Names of the top-level keys of a JSON object or form body; `[]` for anything else. */
export function bodyKeysOf(body: Buffer, contentType: string | undefined): string[] {
  if (body.length === 0) return [];
  const text = body.toString('utf8');
  if ((contentType ?? '').includes('application/x-www-form-urlencoded')) {
    return [...new Set([...new URLSearchParams(text).keys()])];
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.keys(parsed) : [];
  } catch {
    return [];
  }
}

/**
 * Creates a request log, kept in memory and, when `file` is given, appended to it (one JSON line per
 * request, written in order). The body is observed as the wrapped handler reads it (a body
 * the handler never reads is logged with no keys).
 */
export function createRequestLog(file?: string): {
  wrap(service: string, handler: HostHandler): HostHandler;
  entries(): RequestLogEntry[];
  close(): Promise<void>;
} {
  const entries: RequestLogEntry[] = [];
  let writing: Promise<void> = Promise.resolve();
  const record = (entry: RequestLogEntry): void => {
    entries.push(entry);
    if (file !== undefined) {
      const line = `${JSON.stringify(entry)}\n`;
      writing = writing.then(() => appendFile(file, line, { mode: 0o600 })).catch(() => undefined);
    }
  };
  return {
    wrap(service, handler) {
      return async (req, res) => {
        const chunks: Buffer[] = [];
        // Observe the chunks the handler reads without switching the stream into flowing mode
        // (a 'data' listener here would lose chunks for a handler that starts reading later).
        const emit = req.emit.bind(req);
        req.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
          if (event === 'data' && Buffer.isBuffer(args[0])) chunks.push(args[0]);
          return emit(event, ...args);
        }) as typeof req.emit;
        let done = false;
        const finish = (status: number): void => {
          if (done) return;
          done = true;
          record({
            at: new Date().toISOString(),
            service,
            method: req.method ?? 'GET',
            path: redactPath(req.url ?? '/'),
            status,
            bodyKeys: bodyKeysOf(Buffer.concat(chunks), req.headers['content-type']),
          });
        };
        res.on('finish', () => finish(res.statusCode));
        res.on('close', () => finish(res.writableFinished ? res.statusCode : res.headersSent ? res.statusCode : 0));
        await handler(req, res);
      };
    },
    entries: () => entries.map((e) => ({ ...e, bodyKeys: [...e.bodyKeys] })),
    async close() {
      await writing;
    },
  };
}
