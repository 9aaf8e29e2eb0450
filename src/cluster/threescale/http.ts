/**
 * The transport of the 3scale client: one request to the admin portal host (Account Management
 * and CMS API) through the wizard's one HTTP layer (`services.http.fetch`), with
 * - `access_token` in the query for GET and DELETE and in the body for the others
 *   (3SCALE_OPERATIONS.md "How to read the tables"); bodies `application/x-www-form-urlencoded`
 *   (arrays as `name[]`), or `multipart/form-data` for CMS files (encoded to bytes here, so any fetch sends it);
 * - retries with exponential back-off (p-retry) on 5xx answers and connection errors only;
 *   4xx answers are never retried. A POST (a create: not idempotent) is retried only when nothing
 *   can have been written: the connection was never made (ECONNREFUSED, ENOTFOUND, EAI_AGAIN,
 *   connect timeout) or the answer was 502/503/504 (a gateway or an unavailable server answered,
 *   not porta). After a reset, a hang-up, a timeout once sent, or a 500, the create may have
 *   happened: retrying would make a second mapping rule or a second plan, so the request fails
 *   and the next run finds what was made by name (the steps' find-by-name);
 * - 422 turned into ThreescaleFieldError, 401/403 into UserError `3scale.denied`, other non-2xx
 *   into ThreescaleApiError;
 * - lists collected over every page (`page`, `per_page`; porta's pagination `metadata`
 *   `current_page`/`total_pages`, present only when there is more than one page).
 * The token is never part of an error message or a log line.
 */
import pRetry, { AbortError } from 'p-retry';
import { BugError, UserError, isAbort } from '../../engine/errors.js';
import { ThreescaleApiError, ThreescaleFieldError, accessDenied, fieldsOf, unreachable } from './errors.js';

/** A form parameter value: arrays become `name[]` fields; undefined is left out. */
export type FormValue = string | number | boolean | readonly string[] | undefined;
/** Form parameters of a request. */
export type Form = Record<string, FormValue>;

/** A file to upload (CMS file `attachment`). */
export interface Upload {
  filename: string;
  contentType: string;
  data: Uint8Array;
}

/** Retry policy: times in milliseconds. Defaults: 4 retries, 500 ms first delay, ×2 each time, at most 8000 ms. */
export interface RetryOptions {
  retries?: number;
  minTimeoutMs?: number;
  maxTimeoutMs?: number;
}

/** Options of ThreescaleHttp. */
export interface ThreescaleHttpOptions {
  /** `fetch` of the HTTP layer (src/cluster/http.ts `HttpLayer.fetch`). */
  fetch: typeof fetch;
  /** Origin of the admin portal, `https://<tenant>-admin.<domain>` (from the Route's host). */
  baseUrl: string;
  /** Reads the access token when a request needs it (e.g. from Secret `system-seed`); never stored by the caller. */
  accessToken: () => Promise<string>;
  /** Where the token comes from, for the fix of a 403 ("Secret 3scale/system-seed key ADMIN_ACCESS_TOKEN"). */
  tokenSource?: string;
  retry?: RetryOptions;
  /** Items per page asked for: AM API at most 500 (default), CMS API at most 100 (default). */
  pageSize?: { am?: number; cms?: number };
  signal?: AbortSignal;
}

/** One request as seen by `onRequest` listeners (tests, logs): no query, no body values. */
export interface RequestRecord {
  method: string;
  path: string;
  status: number | 'error';
  attempt: number;
}

const isRetryableStatus = (s: number): boolean => s >= 500 && s <= 599;

/** 5xx answers after which a POST is retried: a gateway or an unavailable server answered, so nothing was written. */
const NOTHING_WRITTEN_STATUS = new Set([502, 503, 504]);

/**
 * Error codes of a connection that was never made (Node's `net`/`dns`: ECONNREFUSED, ENOTFOUND,
 * EAI_AGAIN; undici's `UND_ERR_CONNECT_TIMEOUT`): the request did not reach the server.
 */
const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * True when a fetch error shows the connection was never made. Looks at `code` along the `cause`
 * chain (undici's fetch throws `TypeError('fetch failed')` with the socket error as cause) and in
 * an AggregateError's `errors` (Node's connect tries every address of a host).
 */
export function neverConnected(err: unknown, depth = 0): boolean {
  if (!(err instanceof Error) || depth > 5) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && NEVER_CONNECTED.has(code)) return true;
  if (err instanceof AggregateError && err.errors.length > 0 && err.errors.every((e) => neverConnected(e, depth + 1))) return true;
  return neverConnected(err.cause, depth + 1);
}

/** A POST whose answer was lost after it was sent: it may have been applied, so it is not retried. */
function answerLost(path: string, origin: string, what: string, cause: unknown): UserError {
  return new UserError('3scale.unreachable', `the 3scale admin portal ${origin} gave no usable answer to POST ${path} (${what}); the create may have happened, so it was not sent again`, {
    fix: 'run the wizard again: it looks up what this step creates by name before creating it; if the admin portal keeps failing, check the system-app Deployment in the 3scale namespace',
    cause,
  });
}

const reasonOf = (err: unknown): string => (err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err));

class RetryableStatus extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Appends one form field (`name[]` for arrays). */
function appendField(target: { append(k: string, v: string): void }, key: string, value: FormValue): void {
  if (value === undefined) return;
  if (Array.isArray(value)) for (const v of value as readonly string[]) target.append(`${key}[]`, v);
  else target.append(key, String(value));
}

/**
 * Encodes a multipart/form-data body (`access_token`, the params, then the file under
 * `upload.field`) to bytes plus its content type (with the boundary).
 *
 * Why bytes and not the FormData itself: the FormData class is per fetch implementation. The HTTP
 * layer's fetch is undici 8's, which does not recognise Node's global FormData (another realm) and
 * would send the text "[object FormData]" as text/plain (losing the token: 403). The global
 * `Response` encodes the global FormData, and any fetch accepts a Uint8Array. CMS files are small
 * (portal images, CSS), so holding one in memory twice is fine.
 * @throws BugError when the runtime's Response does not encode FormData as multipart/form-data.
 */
async function encodeMultipart(token: string, params: Form, upload: { field: string; file: Upload }): Promise<{ body: Uint8Array; contentType: string }> {
  const form = new FormData();
  form.append('access_token', token);
  for (const [k, v] of Object.entries(params)) appendField(form, k, v);
  form.append(upload.field, new Blob([upload.file.data as Uint8Array<ArrayBuffer>], { type: upload.file.contentType }), upload.file.filename);
  const encoded = new Response(form);
  const contentType = encoded.headers.get('content-type');
  if (!contentType?.startsWith('multipart/form-data')) throw new BugError(`multipart encoding gave content type ${contentType ?? '(none)'}`);
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType };
}

/** Transport of the 3scale client (see the module comment). */
export class ThreescaleHttp {
  readonly baseUrl: string;
  readonly pageSize: { am: number; cms: number };
  readonly #o: ThreescaleHttpOptions;
  readonly #listeners = new Set<(r: RequestRecord) => void>();

  constructor(options: ThreescaleHttpOptions) {
    this.#o = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.pageSize = { am: options.pageSize?.am ?? 500, cms: options.pageSize?.cms ?? 100 };
  }

  /** Calls `listener` after every attempt. Returns unsubscribe. */
  onRequest(listener: (r: RequestRecord) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Sends one request and returns the parsed JSON answer (undefined for an empty body).
   * @param path absolute path with its `.json` suffix, e.g. `/admin/api/services.json`.
   * @param params query parameters (GET/DELETE) or form body (others); `upload` makes the body multipart.
   * @throws what `accessToken` throws (read once, not retried), ThreescaleFieldError (422),
   *   UserError `3scale.denied` (401/403), ThreescaleApiError
   *   (other non-2xx, incl. 5xx after the retries; a POST's 500 at once), UserError
   *   `3scale.unreachable` (connection errors after the retries; a POST whose connection broke
   *   after it was sent at once), AbortError when the signal fires.
   */
  async request<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, params: Form = {}, upload?: { field: string; file: Upload }): Promise<T | undefined> {
    const retry = this.#o.retry ?? {};
    let attempt = 0;
    let lastStatus: { status: number; text: string } | undefined;
    // Read once per request, outside the retries: a missing Secret is not a connection problem.
    const token = await this.#o.accessToken();
    // Encoded once: the same bytes are sent again on a retry.
    const multipart = upload && method !== 'GET' && method !== 'DELETE' ? await encodeMultipart(token, params, upload) : undefined;
    try {
      return await pRetry(
        async () => {
          attempt += 1;
          const url = new URL(this.baseUrl + path);
          const init: RequestInit = { method, headers: { accept: 'application/json' } };
          if (method === 'GET' || method === 'DELETE') {
            for (const [k, v] of Object.entries(params)) appendField(url.searchParams, k, v);
            url.searchParams.set('access_token', token);
          } else if (multipart) {
            init.headers = { accept: 'application/json', 'content-type': multipart.contentType };
            init.body = multipart.body;
          } else {
            const form = new URLSearchParams();
            form.set('access_token', token);
            for (const [k, v] of Object.entries(params)) appendField(form, k, v);
            init.body = form;
          }
          if (this.#o.signal) init.signal = this.#o.signal;
          let res: Response;
          try {
            res = await this.#o.fetch(url, init);
          } catch (err) {
            this.#emit({ method, path, status: 'error', attempt });
            if (this.#o.signal?.aborted) throw new AbortError(err instanceof Error ? err : String(err));
            if (method === 'POST' && !neverConnected(err)) throw new AbortError(answerLost(path, this.baseUrl, reasonOf(err), err));
            throw err; // connection error: retried
          }
          let text: string;
          try {
            text = await res.text();
          } catch (err) {
            // The answer broke off while its body was read: the request was handled.
            this.#emit({ method, path, status: 'error', attempt });
            if (this.#o.signal?.aborted) throw new AbortError(err instanceof Error ? err : String(err));
            if (method === 'POST') throw new AbortError(answerLost(path, this.baseUrl, reasonOf(err), err));
            throw err;
          }
          this.#emit({ method, path, status: res.status, attempt });
          if (method === 'POST' && isRetryableStatus(res.status) && !NOTHING_WRITTEN_STATUS.has(res.status)) {
            throw new AbortError(this.#error(method, path, res.status, text));
          }
          if (isRetryableStatus(res.status)) {
            lastStatus = { status: res.status, text };
            throw new RetryableStatus(res.status);
          }
          if (res.status < 200 || res.status >= 300) throw new AbortError(this.#error(method, path, res.status, text));
          if (text.trim() === '') return undefined;
          try {
            return JSON.parse(text) as T;
          } catch {
            throw new AbortError(new ThreescaleApiError(res.status, method, path, `not JSON: ${text.slice(0, 120)}`));
          }
        },
        {
          retries: retry.retries ?? 4,
          minTimeout: retry.minTimeoutMs ?? 500,
          maxTimeout: retry.maxTimeoutMs ?? 8000,
          factor: 2,
          randomize: false,
          ...(this.#o.signal ? { signal: this.#o.signal } : {}),
        },
      );
    } catch (err) {
      if (err instanceof RetryableStatus) {
        throw new ThreescaleApiError(err.status, method, path, `${(lastStatus?.text ?? '').slice(0, 300)} (after ${attempt} attempts)`);
      }
      if (err instanceof ThreescaleApiError || err instanceof UserError) throw err;
      if (this.#o.signal?.aborted || isAbort(err)) throw err;
      // What is left came from fetch itself, after the retries: a connection problem.
      throw unreachable(method, path, this.baseUrl, err);
    }
  }

  /**
   * GETs every page of a list and returns all items.
   * @param extract pulls the items of one page out of its body (3scale wraps them differently per resource).
   * @param api which page size applies: `am` (Account Management) or `cms`.
   */
  async collect<T>(path: string, extract: (body: unknown) => T[], api: 'am' | 'cms' = 'am', params: Form = {}): Promise<T[]> {
    const perPage = this.pageSize[api];
    const out: T[] = [];
    for (let page = 1; page <= 10_000; page++) {
      const body = await this.request('GET', path, { ...params, page, per_page: perPage });
      const items = extract(body);
      out.push(...items);
      const meta = (body as { metadata?: { current_page?: number; total_pages?: number } } | undefined)?.metadata;
      const total = Number(meta?.total_pages ?? 0);
      const current = Number(meta?.current_page ?? page);
      if (!meta || !(total > current) || items.length === 0) break;
    }
    return out;
  }

  #emit(r: RequestRecord): void {
    for (const l of this.#listeners) l(r);
  }

  #error(method: string, path: string, status: number, text: string): Error {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status === 422) return new ThreescaleFieldError(method, path, fieldsOf(body));
    if (status === 401 || status === 403) return accessDenied(method, path, this.#o.tokenSource ?? 'the access token given');
    return new ThreescaleApiError(status, method, path, text.slice(0, 300));
  }
}
