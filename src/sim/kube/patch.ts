/**
 * The PATCH flavours the simulated API server takes, by Content-Type:
 * - `application/merge-patch+json`: JSON merge patch (RFC 7386);
 * - `application/strategic-merge-patch+json`: approximated (see `strategicMergePatch`);
 * - `application/json-patch+json`: JSON patch (RFC 6902: add, remove, replace, move, copy, test);
 * - `application/apply-patch+yaml`: server-side apply, approximated as create-or-merge (handler.ts).
 */
import { parse as parseYaml } from 'yaml';
import { mergePatch } from '../store.js';
import { badRequest, SimApiError, unsupportedMediaType } from './errors.js';

/** The patch types, by their media type. */
export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

/** The patch type for a request's Content-Type; throws 415 UnsupportedMediaType for any other. */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  switch (media) {
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/json-patch+json':
      return 'json';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+cbor':
      return 'apply';
    default:
      throw unsupportedMediaType(media);
  }
}

/** Parses a request body as JSON, or as YAML (a JSON superset) for YAML media types. Throws 400 when it cannot. */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request was empty');
  const yamlish = /yaml/i.test(contentType ?? '');
  try {
    return yamlish ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    if (!yamlish) {
      try {
        return parseYaml(text);
      } catch {
        // fall through to the JSON message
      }
    }
    throw badRequest(`error decoding body: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Strategic merge patch, approximated: merge-patch semantics, except that a list whose patch items
 * are all objects with a `name` is merged item by item by `name` (as the real merge key of
 * containers, env, volumes, ports is), `$patch: delete` items remove their match, `$setElementOrder/x`
 * orders the result, and the other `$` directives (`$retainKeys`, `$deleteFromPrimitiveList`) are
 * dropped. Lists keyed by anything other than `name` are replaced, as merge patch does.
 */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const base: Record<string, unknown> = isObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete base[key];
    } else if (Array.isArray(value) && isNamedList(value)) {
      const order = patch[`$setElementOrder/${key}`];
      base[key] = mergeNamedList(base[key], value, Array.isArray(order) ? order : undefined);
    } else if (Array.isArray(value)) {
      base[key] = value.map((v) => (isObject(v) ? strategicMergePatch(undefined, v) : v));
    } else {
      base[key] = strategicMergePatch(base[key], value);
    }
  }
  return base;
}

function isNamedList(list: unknown[]): list is Record<string, unknown>[] {
  return list.length > 0 && list.every((item) => isObject(item) && typeof item.name === 'string');
}

function mergeNamedList(current: unknown, patch: Record<string, unknown>[], order: unknown[] | undefined): unknown[] {
  const result = (Array.isArray(current) ? structuredClone(current) : []) as unknown[];
  for (const item of patch) {
    const index = result.findIndex((r) => isObject(r) && r.name === item.name);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMergePatch(result[index], item);
    else result.push(strategicMergePatch(undefined, item));
  }
  if (!order) return result;
  const names = order.map((o) => (isObject(o) ? o.name : undefined));
  const rank = (r: unknown): number => {
    const i = names.indexOf(isObject(r) ? r.name : undefined);
    return i < 0 ? names.length : i;
  };
  return result.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).map((x) => x.r);
}

/** Decodes one JSON Pointer (RFC 6901) into its segments. */
function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, segments: string[]): { parent: unknown; key: string } {
  let current = doc;
  for (const s of segments.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(s)];
    else if (isObject(current)) current = current[s];
    else current = undefined;
    if (current === undefined) throw new SimApiError({ code: 422, reason: 'Invalid', message: `the server rejected our request due to an error in our request: missing path ${segments.join('/')}` });
  }
  return { parent: current, key: segments[segments.length - 1] ?? '' };
}

function getAt(doc: unknown, segments: string[]): unknown {
  let current = doc;
  for (const s of segments) {
    if (Array.isArray(current)) current = current[Number(s)];
    else if (isObject(current)) current = current[s];
    else return undefined;
  }
  return current;
}

/**
 * Applies a JSON patch (RFC 6902) to a copy of `target`. A failed `test` or a missing path answers
 * 422 as the real server does; a malformed patch 400.
 */
export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw badRequest('json patch must be an array of operations');
  let doc = structuredClone(target);
  const set = (segments: string[], value: unknown, insert: boolean): void => {
    if (segments.length === 0) {
      doc = value;
      return;
    }
    const { parent, key } = parentOf(doc, segments);
    if (Array.isArray(parent)) {
      const index = key === '-' ? parent.length : Number(key);
      if (insert) parent.splice(index, 0, value);
      else parent[index] = value;
    } else if (isObject(parent)) parent[key] = value;
  };
  const remove = (segments: string[]): unknown => {
    const { parent, key } = parentOf(doc, segments);
    const old = getAt(doc, segments);
    if (old === undefined) throw new SimApiError({ code: 422, reason: 'Invalid', message: `the server rejected our request due to an error in our request: unable to remove nonexistent key: ${key}` });
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else if (isObject(parent)) delete parent[key];
    return old;
  };
  for (const op of operations) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') throw badRequest('json patch operation needs op and path');
    const path = pointer(op.path);
    switch (op.op) {
      case 'add':
        set(path, structuredClone(op.value), true);
        break;
      case 'replace':
        remove(path);
        set(path, structuredClone(op.value), true);
        break;
      case 'remove':
        remove(path);
        break;
      case 'move':
      case 'copy': {
        const from = pointer(String(op.from));
        const value = op.op === 'move' ? remove(from) : structuredClone(getAt(doc, from));
        set(path, value, true);
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op.value)) {
          throw new SimApiError({ code: 422, reason: 'Invalid', message: `the server rejected our request due to an error in our request: testing value ${op.path} failed` });
        }
        break;
      default:
        throw badRequest(`unknown json patch operation ${op.op}`);
    }
  }
  return doc;
}

/** Applies a patch of the given type (merge semantics for `apply`) to a copy of `current`. */
export function applyPatch(type: PatchType, current: unknown, patch: unknown): unknown {
  switch (type) {
    case 'merge':
    case 'apply':
      return mergePatch(current, patch);
    case 'strategic':
      return strategicMergePatch(current, patch);
    case 'json':
      return jsonPatch(current, patch);
  }
}
