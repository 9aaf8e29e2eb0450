/**
 * OpenAPI definitions of the models' APIs, turned into what 3scale needs per product
 * (STAGES.md §7 "methods + mapping rules from the model's OpenAPI definition", §8):
 * - `loadApiDefinition(api)`: this project's own compact definitions (templates/openapi/<api>.yaml);
 * - `parseSpecFile(file)`: a person's definition file (OpenAPI 3.0/3.1 or Swagger 2.0, JSON or YAML);
 * - `methodsAndRules(spec)`: one 3scale method per operation, one mapping rule per path + HTTP method;
 * - `activeDocsBody(spec, productionUrl)`: the ActiveDocs `body` with the product's production URL.
 * Parsing and validation live in openapi-parse.ts; this module is the public face.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BugError, UserError } from '../../src/engine/errors.js';
import { parseSpecText, readSpecFile } from './openapi-parse.js';

/** The OpenAI-compatible API a model answers: the catalog's `api` field (templates/models/catalog.yaml). */
export type ApiType = 'chat' | 'completions' | 'embeddings';

/** Every API type, in catalog order. */
export const API_TYPES: readonly ApiType[] = ['chat', 'completions', 'embeddings'];

/** An HTTP method an OpenAPI path item can hold an operation for (OpenAPI 3.x "Path Item Object"; `trace` is left out: 3scale mapping rules have no TRACE). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** One operation of a definition, with the names 3scale gets for it. */
export interface OpenApiOperation {
  method: HttpMethod;
  /** The path as in the spec, e.g. `/v1/chat/completions` or `/v1/models/{model}`. */
  path: string;
  operationId?: string;
  /** 3scale method `friendly_name`: the operation's `summary`, else its operationId, else `METHOD path`; unique within the spec. */
  friendlyName: string;
  /** 3scale method `system_name`: from operationId, else method + path; lower-case `[a-z0-9_]`, unique within the spec. */
  systemName: string;
  /** Mapping rule pattern: the path with `{param}` kept (one segment in 3scale), anchored with a trailing `$`. */
  pattern: string;
}

/** A parsed, checked definition. */
export interface ParsedSpec {
  /** `info.title`. */
  title: string;
  /** `info.version`, or '' when the document has none (the reference model definitions have none). */
  version: string;
  /** `openapi` value (e.g. `3.0.3`, `3.1.0`), or `2.0` for a Swagger 2.0 document. */
  openapi: string;
  operations: OpenApiOperation[];
  /** The whole document as parsed (JSON-compatible). */
  document: Record<string, unknown>;
}

/** A 3scale method to create under the product's `hits` metric. */
export interface MethodSpec {
  systemName: string;
  friendlyName: string;
}

/** A 3scale mapping rule (`http_method`, `pattern`, `delta`, counted on the method `methodSystemName`). */
export interface MappingRuleSpec {
  httpMethod: HttpMethod;
  pattern: string;
  methodSystemName: string;
  delta: 1;
}

/** Finds `templates/openapi/<file>` above this module (works from the sources and from dist/). */
export function apiDefinitionPath(file: string): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'templates', 'openapi', file);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new BugError(`templates/openapi/${file} not found above steps/threescale`);
}

/**
 * This project's own compact OpenAPI 3.0 definition for an API type (templates/openapi/<api>.yaml):
 * `GET /v1/models` plus the API's own operation (chat → `POST /v1/chat/completions`,
 * completions → `POST /v1/completions`, embeddings → `POST /v1/embeddings`), `http` bearer security.
 * With `runtime` `tei` (Text Embeddings Inference), `GET /v1/models` is left out: TEI has no such
 * route (its OpenAPI document lists `/info`, `/embed`, `/v1/embeddings`, ... but not `/v1/models`),
 * so a mapping rule for it would only lead developers to a 404.
 * @throws BugError when the bundled file is missing or invalid (it ships with the wizard).
 */
export function loadApiDefinition(api: ApiType, runtime: 'vllm' | 'tei' = 'vllm'): ParsedSpec {
  const file = apiDefinitionPath(`${api}.yaml`);
  let spec: ParsedSpec;
  try {
    spec = readSpecFile(file);
  } catch (err) {
    if (err instanceof UserError) throw new BugError(`bundled definition ${file} is invalid: ${err.message}`, { cause: err });
    throw err;
  }
  if (runtime !== 'tei') return spec;
  const paths = { ...(spec.document['paths'] as Record<string, unknown>) };
  delete paths['/v1/models'];
  return { ...spec, document: { ...spec.document, paths }, operations: spec.operations.filter((o) => o.path !== '/v1/models') };
}

/**
 * Reads and checks a person's definition file for a model: OpenAPI 3.0 or 3.1 (or Swagger 2.0),
 * JSON or YAML, any security scheme.
 * @param file path of the file.
 * @throws UserError `openapi.invalid` naming the file and what is wrong (unreadable, empty, syntax
 *   error with line, not OpenAPI, no paths, a field of the wrong type), with a fix sentence.
 */
export function parseSpecFile(file: string): ParsedSpec {
  return readSpecFile(file);
}

/**
 * Parses definition text already in memory (e.g. an answers-file value).
 * @param source what to call it in messages (a file name or `answers: <key>`).
 * @throws UserError `openapi.invalid`, as parseSpecFile.
 */
export function parseSpecString(text: string, source: string): ParsedSpec {
  return parseSpecText(text, source);
}

const HTTP_METHODS_LOWER = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The JSON string for the 3scale ActiveDocs `body` (Account Management API `api_docs`): the
 * document with every call sent to the product's production gateway. OpenAPI 3.x: top-level
 * `servers: [{url: productionUrl}]`, and path- or operation-level `servers` removed (they would
 * bypass the gateway). Swagger 2.0: `host`, `basePath`, `schemes` from the URL. Security
 * (`security`, `components.securitySchemes`, `securityDefinitions`) is kept as it is. A missing
 * `info.title` becomes the spec's title, a missing `info.version` `1.0` (both required by OpenAPI).
 * @param productionUrl `https://<system-name>-maas-apicast-production.<domain>` (STAGES.md §7).
 * @throws BugError when productionUrl is not an absolute URL.
 */
export function activeDocsBody(spec: ParsedSpec, productionUrl: string): string {
  let url: URL;
  try {
    url = new URL(productionUrl);
  } catch (err) {
    throw new BugError(`activeDocsBody: not an absolute URL: ${productionUrl}`, { cause: err });
  }
  const doc = structuredClone(spec.document);
  // `info.title` and `info.version` are required strings (OpenAPI "Info Object"); the reference
  // model definitions have no version and YAML may give a number: fill in / normalise them.
  const info = doc['info'] && typeof doc['info'] === 'object' ? (doc['info'] as Record<string, unknown>) : {};
  if (typeof info['title'] !== 'string' || info['title'].trim() === '') info['title'] = spec.title;
  info['version'] = spec.version || '1.0';
  doc['info'] = info;
  if (spec.openapi === '2.0') {
    doc['host'] = url.host;
    doc['basePath'] = url.pathname === '' ? '/' : url.pathname;
    doc['schemes'] = [url.protocol.replace(/:$/, '')];
  } else {
    doc['servers'] = [{ url: productionUrl.replace(/\/+$/, '') }];
    const paths = doc['paths'];
    if (paths && typeof paths === 'object') {
      for (const item of Object.values(paths as Record<string, unknown>)) {
        if (!item || typeof item !== 'object') continue;
        const rec = item as Record<string, unknown>;
        delete rec['servers'];
        for (const m of HTTP_METHODS_LOWER) {
          const op = rec[m];
          if (op && typeof op === 'object') delete (op as Record<string, unknown>)['servers'];
        }
      }
    }
  }
  return JSON.stringify(doc);
}

/**
 * The 3scale methods and mapping rules of a definition (STAGES.md §7, §8): one method per
 * operation (deduplicated by system name, first wins), one mapping rule per path + HTTP method
 * (deduplicated by method + pattern), each pattern anchored with `$` so that it matches that path
 * only ("Mapping rules match from the start of the path; a trailing `$` anchors the end; `{name}`
 * matches one segment"), `delta` 1.
 */
export function methodsAndRules(spec: ParsedSpec): { methods: MethodSpec[]; rules: MappingRuleSpec[] } {
  const methods: MethodSpec[] = [];
  const rules: MappingRuleSpec[] = [];
  const seenMethods = new Set<string>();
  const seenRules = new Set<string>();
  for (const op of spec.operations) {
    if (!seenMethods.has(op.systemName)) {
      seenMethods.add(op.systemName);
      methods.push({ systemName: op.systemName, friendlyName: op.friendlyName });
    }
    const ruleKey = `${op.method} ${op.pattern.replace(/\{[^}/]*\}/g, '{}')}`;
    if (seenRules.has(ruleKey)) continue;
    seenRules.add(ruleKey);
    rules.push({ httpMethod: op.method, pattern: op.pattern, methodSystemName: op.systemName, delta: 1 });
  }
  return { methods, rules };
}
