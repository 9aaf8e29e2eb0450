/**
 * HTTP plumbing of the simulated 3scale admin API: reading parameters the way Rails does (query
 * string merged with an `application/x-www-form-urlencoded`, JSON or `multipart/form-data` body,
 * `a[]=x` arrays), typed API errors, and writing answers as JSON or XML.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';

/** Request parameters: strings, arrays (`a[]=x`) and, from JSON bodies, any JSON value. */
export type Params = Record<string, unknown>;

/** An uploaded file of a multipart body (CMS file `attachment`). */
export interface Upload {
  filename: string;
  contentType: string;
  /** The file content, base64. */
  base64: string;
}

/**
 * An answer the API gives instead of a result: `status` and a body in 3scale's shapes
 * (`{"errors":{...}}` for 422, `{"status":"Not found"}` for 404, `{"error":"..."}` for 403).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`3scale API ${status}`);
    this.name = 'ApiError';
  }
}

/** 404 as porta answers an unknown id: `{"status":"Not found"}`. */
export function notFound(): ApiError {
  return new ApiError(404, { status: 'Not found' });
}

/** 422 with ActiveRecord validation errors, e.g. `{"errors":{"system_name":["has already been taken"]}}`. */
export function invalid(errors: Record<string, string[]>): ApiError {
  return new ApiError(422, { errors });
}

/** Reads the whole request body (bytes). */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Adds one form field, collecting `name[]` into arrays under `name`. */
function addField(target: Params, key: string, value: unknown): void {
  if (key.endsWith('[]')) {
    const name = key.slice(0, -2);
    const list = Array.isArray(target[name]) ? (target[name] as unknown[]) : [];
    list.push(value);
    target[name] = list;
  } else {
    target[key] = value;
  }
}

/**
 * Parses query and body into one parameter object (body wins, as in Rails `params`).
 * Bodies: form-urlencoded, JSON (an object), multipart (fields; files become `Upload`s).
 * A malformed JSON body throws ApiError 400.
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = {};
  for (const [k, v] of url.searchParams) addField(params, k, v);
  if (req.method === 'GET' || req.method === 'HEAD') return params;
  const raw = await readBody(req);
  if (raw.length === 0) return params;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError(400, { error: 'malformed JSON body' });
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(params, parsed);
  } else if (type.includes('multipart/form-data')) {
    // The platform's fetch Response parses multipart bodies (undici's FormData parser).
    const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
    for (const [k, v] of form) {
      if (typeof v === 'string') addField(params, k, v);
      else {
        const base64 = Buffer.from(await v.arrayBuffer()).toString('base64');
        addField(params, k, { filename: v.name, contentType: v.type, base64 } satisfies Upload);
      }
    }
  } else {
    for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) addField(params, k, v);
  }
  return params;
}

/** True when a parameter is absent or blank (Rails `blank?`). */
export function blank(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return false;
}

/** A string parameter, or undefined when absent. */
export function str(p: Params, key: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** An integer parameter, or undefined when absent or not a number. */
export function int(p: Params, key: string): number | undefined {
  const s = str(p, key);
  if (s === undefined || s.trim() === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** A boolean parameter (`true`/`1`/`false`/`0`), or undefined. */
export function bool(p: Params, key: string): boolean | undefined {
  const s = str(p, key);
  if (s === undefined || s === '') return undefined;
  return s === 'true' || s === '1';
}

/** Copies the given parameters that are present onto a record (strings as given). */
export function assignStrings(target: Record<string, unknown>, p: Params, keys: readonly string[]): void {
  for (const k of keys) {
    const v = str(p, k);
    if (v !== undefined) target[k] = v;
  }
}

const xml = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, format: false });

/**
 * Turns 3scale's JSON shape into the element tree of its XML shape: `{"services":[{"service":{..}}]}`
 * becomes `<services><service>..</service></services>`; `metadata` becomes attributes of the root.
 */
function toXmlTree(value: unknown): unknown {
  if (Array.isArray(value)) {
    const grouped: Record<string, unknown[]> = {};
    for (const item of value) {
      if (item && typeof item === 'object' && !Array.isArray(item) && Object.keys(item).length === 1) {
        const [k, v] = Object.entries(item)[0] as [string, unknown];
        (grouped[k] ??= []).push(toXmlTree(v));
      } else (grouped.item ??= []).push(toXmlTree(item));
    }
    return grouped;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === 'metadata' && v && typeof v === 'object') {
        for (const [mk, mv] of Object.entries(v)) out[`@_${mk}`] = String(mv);
      } else if (v && typeof v === 'object' && !Array.isArray(v)) out[k] = toXmlTree(v);
      else if (Array.isArray(v)) out[k] = v.every((x) => x === null || typeof x !== 'object') ? v : toXmlTree(v);
      else out[k] = v === null || v === undefined ? '' : v;
    }
    return out;
  }
  return value;
}

/** `name_field` → `Name field`, as Rails' `full_messages` writes attribute names. */
const humanize = (field: string): string => field.charAt(0).toUpperCase() + field.slice(1).replace(/_/g, ' ');

/**
 * Serialises a JSON-shaped answer as XML (fast-xml-parser's XMLBuilder), with the XML declaration.
 * Validation errors become `<errors><error>Name can't be blank</error></errors>` as porta writes them.
 */
export function renderXml(body: unknown): string {
  let tree = body;
  if (Array.isArray(body)) tree = { items: body };
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
    const messages = Object.entries(errors as Record<string, string[]>).flatMap(([field, list]) =>
      field === 'base' ? list : list.map((m) => `${humanize(field)} ${m}`),
    );
    tree = { errors: { error: messages } };
  }
  return `<?xml version="1.0" encoding="UTF-8"?>${xml.build(toXmlTree(tree))}`;
}

/** Writes an answer: JSON, XML (`format: 'xml'`), or an empty body when `body` is undefined. */
export function send(res: ServerResponse, status: number, body: unknown, format: 'json' | 'xml'): void {
  if (body === undefined) {
    res.writeHead(status, { 'content-length': '0' });
    res.end();
    return;
  }
  const text = format === 'xml' ? renderXml(body) : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': format === 'xml' ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Pagination as porta's `Admin::Api::Filters::Pagination` (AM API: default and max `per_page` 500;
 * the CMS API: default 20, max 100). `metadata` is only present when there is more than one page
 * (porta `ThreeScale::Api::Collection#paginated?`).
 */
export function paginate<T>(
  items: T[],
  p: Params,
  limits: { default: number; max: number } = { default: 500, max: 500 },
): { page: T[]; metadata?: Record<string, number> } {
  const perPage = Math.max(1, Math.min(int(p, 'per_page') ?? limits.default, limits.max));
  const current = Math.max(1, int(p, 'page') ?? 1);
  const page = items.slice((current - 1) * perPage, current * perPage);
  if (perPage >= items.length) return { page };
  return {
    page,
    metadata: {
      per_page: perPage,
      total_entries: items.length,
      total_pages: Math.ceil(items.length / perPage),
      current_page: current,
    },
  };
}
