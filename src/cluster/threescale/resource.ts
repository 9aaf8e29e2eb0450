/**
 * A 3scale API collection as one typed object: list (every page), get, find by system name,
 * create, update, delete. Paths are written with the `.json` suffix (porta's routes take `.json`
 * on the paths the spec writes with `.xml`; backend_apis, backend_usages and the CMS API are
 * JSON-only). The shapes differ per resource, so each resource names how its answers wrap
 * records:
 * - Account Management: one record `{"service":{...}}`, a list `{"services":[{"service":{...}}]}`
 *   (plans under `plans`, ActiveDocs under `api_docs`/`api_doc`), backend usages a bare array;
 * - CMS: records unwrapped, lists `{"collection":[...]}`.
 */
import { isNotFound } from './errors.js';
import type { Form, ThreescaleHttp, Upload } from './http.js';
import type { Rec } from './types.js';

/** How a resource's answers wrap its records. */
export interface ResourceShape {
  /** Collection path without suffix, e.g. `/admin/api/services`. */
  path: string;
  /** Key of one record (`service`); undefined for CMS (unwrapped). */
  key?: string;
  /** Key of the list (`services`, `plans`); undefined for a bare array or a CMS `collection`. */
  listKey?: string;
  /** `am` (Account Management, 500 per page) or `cms` (100 per page, `collection`). */
  api?: 'am' | 'cms';
  /** Method of Update: PUT (default) or PATCH (product mapping rules). */
  updateMethod?: 'PUT' | 'PATCH';
  /** False when the spec documents no `page`/`per_page` for the list (read in one request). */
  paged?: boolean;
}

/** One record out of a body wrapped as `{ [key]: rec }` (or unwrapped). */
export function unwrapOne<T>(body: unknown, key: string | undefined): T {
  if (key && body && typeof body === 'object' && key in body) return (body as Record<string, unknown>)[key] as T;
  return body as T;
}

/** The records of one list page: `{listKey:[{key:rec}]}`, `{"collection":[...]}` or a bare array. */
export function unwrapList<T>(body: unknown, listKey: string | undefined, key: string | undefined): T[] {
  let items: unknown = body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    items = listKey && listKey in b ? b[listKey] : (b['collection'] ?? []);
  }
  if (!Array.isArray(items)) return [];
  return items.map((x) => unwrapOne<T>(x, key));
}

/** A typed 3scale collection (see the module comment). */
export class Resource<T extends Rec> {
  constructor(
    protected readonly http: ThreescaleHttp,
    readonly shape: ResourceShape,
  ) {}

  /** Path of the collection (`.json`). */
  get collectionPath(): string {
    return `${this.shape.path}.json`;
  }

  /** Path of one record (`.json`). */
  itemPath(id: number | string): string {
    return `${this.shape.path}/${id}.json`;
  }

  /** Every record, all pages collected. */
  async list(params: Form = {}): Promise<T[]> {
    const extract = (b: unknown): T[] => unwrapList<T>(b, this.shape.listKey, this.shape.key);
    if (this.shape.paged === false) return extract(await this.http.request('GET', this.collectionPath, params));
    return this.http.collect(this.collectionPath, extract, this.shape.api ?? 'am', params);
  }

  /** One record by id; undefined on 404. */
  async get(id: number): Promise<T | undefined> {
    try {
      return unwrapOne<T>(await this.http.request('GET', this.itemPath(id)), this.shape.key);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The first record for which `match` is true (lists every page). */
  async find(match: (rec: T) => boolean): Promise<T | undefined> {
    return (await this.list()).find(match);
  }

  /** The record whose `system_name` is `systemName`. */
  async findBySystemName(systemName: string): Promise<T | undefined> {
    return this.find((r) => r['system_name'] === systemName);
  }

  /** Creates a record (form-encoded; `upload` makes it multipart). Throws ThreescaleFieldError on 422. */
  async create(params: Form, upload?: { field: string; file: Upload }): Promise<T> {
    return unwrapOne<T>(await this.http.request('POST', this.collectionPath, params, upload), this.shape.key);
  }

  /** Updates a record. Throws ThreescaleFieldError on 422, ThreescaleApiError 404 when absent. */
  async update(id: number, params: Form, upload?: { field: string; file: Upload }): Promise<T> {
    return unwrapOne<T>(await this.http.request(this.shape.updateMethod ?? 'PUT', this.itemPath(id), params, upload), this.shape.key);
  }

  /** Deletes a record; false when it was already gone (404). */
  async delete(id: number): Promise<boolean> {
    try {
      await this.http.request('DELETE', this.itemPath(id));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}

/** A resource whose records can be made the default of their kind (`PUT {id}/default.json`): plans. */
export class PlanResource<T extends Rec> extends Resource<T> {
  /** Makes the plan the default (application plan: the service's default; service plan: default service plan). */
  async setDefault(id: number): Promise<T> {
    return unwrapOne<T>(await this.http.request('PUT', `${this.shape.path}/${id}/default.json`), this.shape.key);
  }
}
