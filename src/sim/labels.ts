/**
 * Label and field selectors as the Kubernetes API takes them in `?labelSelector=` and
 * `?fieldSelector=` (k8s.io/apimachinery/pkg/labels and pkg/fields): `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x,y)`, `a` (exists), `!a` (does not exist), joined by commas.
 */
import { badRequest } from './kube/errors.js';

/** One parsed requirement of a label selector. */
export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

/** Splits on commas that are not inside parentheses. */
function splitTop(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const KEY = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${selector}"`);
  return key;
}

/**
 * Parses a label selector. Throws a 400 BadRequest `SimApiError` (as the real server answers)
 * when it cannot be parsed.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitTop(selector).map((part): LabelRequirement => {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (set) {
      const values = (set[3] ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
      return { key: checkKey(set[1] ?? '', selector), op: set[2] === 'in' ? 'in' : 'notin', values };
    }
    const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (eq) {
      const key = checkKey(eq[1] ?? '', selector);
      return { key, op: eq[2] === '!=' ? 'notin' : 'in', values: [eq[3] ?? ''] };
    }
    const not = /^!\s*(\S+)$/.exec(part);
    if (not) return { key: checkKey(not[1] ?? '', selector), op: '!exists' };
    if (/^\S+$/.test(part)) return { key: checkKey(part, selector), op: 'exists' };
    throw badRequest(`unable to parse requirement: found '${part}', expected: identifier in selector "${selector}"`);
  });
}

/** True when `labels` satisfy every requirement (`notin` / `!=` also match an absent key, as in Kubernetes). */
export function matchesLabels(requirements: LabelRequirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key] as string);
      case 'notin':
        return !has || !r.values.includes(l[r.key] as string);
    }
  });
}

/** One requirement of a field selector: `path` is dotted (`metadata.name`). */
export interface FieldRequirement {
  path: string;
  equal: boolean;
  value: string;
}

/** Parses a field selector (`metadata.name=x,status.phase!=Running`). Throws 400 BadRequest when malformed. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  return splitTop(selector).map((part) => {
    const m = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(part);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    return { path: m[1] ?? '', equal: m[2] !== '!=', value: m[3] ?? '' };
  });
}

/** Reads a dotted path of a JSON object; non-strings read as their string form, absent as `''`. */
export function readPath(object: unknown, path: string): string {
  let current: unknown = object;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object') return '';
    current = (current as Record<string, unknown>)[segment];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : JSON.stringify(current);
}

/** True when the object satisfies every field requirement. */
export function matchesFields(requirements: FieldRequirement[], object: unknown): boolean {
  return requirements.every((r) => (readPath(object, r.path) === r.value) === r.equal);
}
