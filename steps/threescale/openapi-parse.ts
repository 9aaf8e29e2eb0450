/**
 * Reading and checking OpenAPI definitions (OpenAPI 3.0, 3.1, Swagger 2.0; JSON or YAML) into a
 * `ParsedSpec`. Syntax with the `yaml` package (and `JSON.parse` for JSON text, for its clearer
 * messages); shape with zod. Every failure is a UserError `openapi.invalid` naming the source.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { UserError, messageOf } from '../../src/engine/errors.js';
import type { HttpMethod, OpenApiOperation, ParsedSpec } from './openapi.js';
import { operationFriendlyName, operationSystemName, rulePattern, uniqueName } from './openapi-names.js';

const FIX = 'Give the model\'s OpenAPI 3.0 or 3.1 definition (JSON or YAML) with at least one operation under `paths`, e.g. the vLLM server\'s /openapi.json.';

/** The HTTP methods of a Path Item Object that become 3scale methods (OpenAPI 3.x; `trace` has no 3scale mapping rule). */
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

const scalarText = z.union([z.string(), z.number()]).transform(String);

const operation = z.looseObject({
  operationId: z.string().optional(),
  summary: z.string().optional(),
});

const pathItem = z.looseObject(Object.fromEntries(METHODS.map((m) => [m, operation.optional()])) as Record<(typeof METHODS)[number], z.ZodOptional<typeof operation>>);

/** The part of an OpenAPI 3.x / Swagger 2.0 document this project reads (OpenAPI Specification "OpenAPI Object", "Info Object", "Paths Object"). */
const documentShape = z.looseObject({
  openapi: scalarText.refine((v) => /^3\.[01](\.\d+)?(-[\w.]+)?$/.test(v), { message: 'must be 3.0.x or 3.1.x' }).optional(),
  swagger: scalarText.refine((v) => v === '2.0', { message: 'must be 2.0' }).optional(),
  info: z.looseObject({ title: z.string().optional(), version: scalarText.optional() }).optional(),
  paths: z.record(z.string().regex(/^\//, { message: 'a path must start with /' }), pathItem, { error: (iss) => (iss.code === 'invalid_type' ? 'must be a map of paths (path → operations)' : undefined) }),
});

function invalid(source: string, what: string, fix: string = FIX, cause?: unknown): UserError {
  return new UserError('openapi.invalid', `${source}: ${what}`, { fix, usage: true, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Reads a definition file and parses it (see parseSpecText).
 * @throws UserError `openapi.invalid` when the file cannot be read, or as parseSpecText.
 */
export function readSpecFile(file: string): ParsedSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a file' : code === 'EACCES' ? 'permission denied' : messageOf(err);
    throw invalid(file, `cannot read the OpenAPI definition: ${why}`, 'Check the path of the OpenAPI definition file and that it can be read.', err);
  }
  return parseSpecText(text, file);
}

/** JSON or YAML text → a JSON-compatible value. */
function parseSyntax(text: string, source: string): unknown {
  const looksJson = /\.json$/i.test(source) || /^\s*[{[]/.test(text);
  if (looksJson) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      if (/\.json$/i.test(source)) throw invalid(source, `JSON syntax error: ${messageOf(err)}`, 'Fix the JSON syntax at that position (a JSON validator shows it), then run again.', err);
      // not named .json: it may still be YAML in flow style; let the YAML parser decide.
    }
  }
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0];
    const where = at ? ` at line ${at.line}, column ${at.col}` : '';
    const what = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? first.code;
    throw invalid(source, `YAML syntax error${where}: ${what}`, 'Fix the YAML (or JSON) syntax at that line, then run again.', first);
  }
  return doc.toJS({ maxAliasCount: 100 }) as unknown;
}

/** The dotted path of a zod issue, e.g. `paths./v1/models.get.operationId`. */
function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/**
 * Parses and checks definition text: a mapping with `openapi: 3.0.x|3.1.x` (or `swagger: "2.0"`)
 * and at least one operation under `paths`. Operations get 3scale names (openapi-names.ts),
 * unique within the spec; `$ref` path items are not followed (their operations are not counted).
 * @param source the file name (or other label) used in messages.
 * @throws UserError `openapi.invalid`: empty text, syntax error (with line), not a mapping, no
 *   `openapi` key, unsupported version, no `paths`, a field of the wrong type (named), no operations.
 */
export function parseSpecText(text: string, source: string): ParsedSpec {
  if (text.trim() === '') throw invalid(source, 'the file is empty');
  const value = parseSyntax(text, source);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(source, `not an OpenAPI document: the top level is ${Array.isArray(value) ? 'a list' : `a ${value === null ? 'null' : typeof value}`}, not a mapping with an \`openapi\` key`);
  }
  const raw = value as Record<string, unknown>;
  if (raw['openapi'] === undefined && raw['swagger'] === undefined) throw invalid(source, 'not an OpenAPI document: no `openapi` key');
  if (raw['paths'] === undefined || raw['paths'] === null) throw invalid(source, 'no `paths`: the definition lists no operations');
  const checked = documentShape.safeParse(raw);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const field = issue ? issuePath(issue.path) : '';
    // A bad key of `paths` is reported as `invalid_key` with the key's own issue nested.
    const nested = issue?.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    throw invalid(source, `${field || 'document'}: ${nested ?? issue?.message ?? 'invalid'}`);
  }
  const doc = checked.data;
  const version = doc.openapi ?? (doc.swagger === '2.0' ? '2.0' : undefined);
  if (version === undefined) throw invalid(source, 'not an OpenAPI document: no `openapi` key');

  const operations: OpenApiOperation[] = [];
  const systemNames = new Set<string>();
  const friendlyNames = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const m of METHODS) {
      const op = item[m];
      if (!op) continue;
      const method = m.toUpperCase() as HttpMethod;
      const operationId = op.operationId?.trim() || undefined;
      operations.push({
        method,
        path,
        ...(operationId ? { operationId } : {}),
        friendlyName: uniqueName(operationFriendlyName(method, path, op.summary, operationId), friendlyNames, (n, i) => `${n} (${i})`),
        systemName: uniqueName(operationSystemName(m, path, operationId), systemNames, (n, i) => `${n}_${i}`),
        pattern: rulePattern(path),
      });
    }
  }
  if (operations.length === 0) throw invalid(source, '`paths` holds no operations (get, post, put, patch, delete, head, options)');
  return {
    title: doc.info?.title?.trim() || source,
    version: doc.info?.version ?? '',
    openapi: version,
    operations,
    document: raw,
  };
}
