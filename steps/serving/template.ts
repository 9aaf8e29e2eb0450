/**
 * OpenShift Template processing, as `oc process` does it (template.openshift.io/v1 Template:
 * `parameters[]` with `name`, `value`, `generate: expression` + `from`, `required`; `objects[]`;
 * `labels`). Used for the vLLM ServingRuntime Template OpenShift AI ships in
 * `redhat-ods-applications` and for this project's own templates in templates/runtimes/.
 *
 * Substitution rules (openshift/openshift-apiserver pkg/template/templateprocessing):
 * - in every string value of every object, `${NAME}` is replaced by the parameter's value;
 *   references to names that are not parameters are left as they are;
 * - a string that is exactly `${{NAME}}` is replaced by the value parsed as JSON (a number, a
 *   boolean, an object), or by the string itself when it is not JSON;
 * - map keys are not substituted;
 * - the template's `labels` are added to every object's `metadata.labels`; an object label with
 *   another value for the same key is an error (`MergeInto` with `ErrorOnDifferentDstKeyValue`).
 * KServe's own placeholders such as `{{.Name}}` are not parameter references and stay.
 */
import { randomInt } from 'node:crypto';
import { UserError } from '../../src/engine/errors.js';
import type { KubeObject } from '../../src/engine/types.js';

/** One parameter of a Template (template.openshift.io/v1 `Parameter`). */
export interface TemplateParameter {
  name: string;
  displayName?: string;
  description?: string;
  value?: string;
  /** `expression`: generate the value from `from`. */
  generate?: string;
  from?: string;
  required?: boolean;
}

/** The parts of a Template that processing reads. */
export interface TemplateObject extends KubeObject {
  objects?: KubeObject[];
  parameters?: TemplateParameter[];
  labels?: Record<string, string>;
}

const STRING_REF = /\$\{([a-zA-Z0-9_]+?)\}/g;
const NON_STRING_REF = /^\$\{\{([a-zA-Z0-9_]+)\}\}$/;

/** Character classes of the expression generator (openshift `pkg/template/generator/expressionvalue.go`). */
const CLASSES: Record<string, string> = {
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  d: '0123456789',
  a: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  A: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
};

/** Expands a range list such as `a-zA-Z0-9\d` into its characters. */
function expandClass(body: string, expression: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] ?? '';
    if (c === '\\') {
      const cls = CLASSES[body[i + 1] ?? ''];
      if (cls === undefined) throw new UserError('template.invalid', `unsupported escape \\${body[i + 1] ?? ''} in expression ${expression}`);
      out += cls;
      i++;
    } else if (body[i + 1] === '-' && i + 2 < body.length) {
      const from = c.charCodeAt(0);
      const to = (body[i + 2] ?? '').charCodeAt(0);
      if (to < from) throw new UserError('template.invalid', `invalid range ${c}-${body[i + 2] ?? ''} in expression ${expression}`);
      for (let code = from; code <= to; code++) out += String.fromCharCode(code);
      i += 2;
    } else out += c;
  }
  return out;
}

/**
 * Generates a value from an `oc process` expression such as `[a-zA-Z0-9]{16}`, `[\w]{8}` or
 * `admin[\d]{4}`: character classes (ranges and `\w`, `\d`, `\a`, `\A`) or literal characters,
 * each optionally repeated `{n}` times. Random characters come from `crypto.randomInt`.
 * @throws UserError `template.invalid` for an expression it cannot read.
 */
export function generateFromExpression(expression: string): string {
  let out = '';
  let i = 0;
  while (i < expression.length) {
    let chars: string;
    if (expression[i] === '[') {
      const end = expression.indexOf(']', i + 1);
      if (end < 0) throw new UserError('template.invalid', `unclosed [ in expression ${expression}`);
      chars = expandClass(expression.slice(i + 1, end), expression);
      i = end + 1;
    } else if (expression[i] === '\\') {
      chars = expandClass(expression.slice(i, i + 2), expression);
      i += 2;
    } else {
      chars = expression[i] ?? '';
      i++;
    }
    let count = 1;
    const rep = /^\{(\d+)\}/.exec(expression.slice(i));
    if (rep) {
      count = Number(rep[1]);
      i += rep[0].length;
    }
    if (chars.length === 0) throw new UserError('template.invalid', `empty character class in expression ${expression}`);
    for (let n = 0; n < count; n++) out += chars[randomInt(chars.length)] ?? '';
  }
  return out;
}

/**
 * The value of every parameter: `given` wins, then a generated value (`generate: expression`),
 * then the parameter's `value`.
 * @throws UserError `template.parameter-required` naming the template and parameter when a
 *   required parameter ends up empty.
 */
export function parameterValues(template: TemplateObject, given: Readonly<Record<string, string>> = {}): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of template.parameters ?? []) {
    let v = given[p.name];
    if (v === undefined && p.generate === 'expression' && p.from) v = generateFromExpression(p.from);
    v ??= p.value ?? '';
    if (p.required && v === '') {
      throw new UserError('template.parameter-required', `Template ${template.metadata.name ?? ''} needs parameter ${p.name}${p.description ? ` (${p.description})` : ''}`, {
        fix: `give a value for ${p.name}`,
      });
    }
    values[p.name] = v;
  }
  return values;
}

function substitute(value: unknown, params: Readonly<Record<string, string>>): unknown {
  if (typeof value === 'string') {
    const whole = NON_STRING_REF.exec(value);
    if (whole && (whole[1] ?? '') in params) {
      const raw = params[whole[1] ?? ''] ?? '';
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        return raw;
      }
    }
    return value.replace(STRING_REF, (ref, name: string) => (name in params ? (params[name] ?? '') : ref));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, params));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params)]));
  }
  return value;
}

/**
 * Processes a Template as `oc process` does and returns its objects (deep copies; the template is
 * not changed).
 * @param given parameter values by name (strings, as `oc process -p NAME=value` takes them).
 * @throws UserError `template.parameter-required` (see `parameterValues`), `template.invalid`
 *   (bad expression, conflicting label).
 */
export function processTemplate(template: TemplateObject, given: Readonly<Record<string, string>> = {}): KubeObject[] {
  const params = parameterValues(template, given);
  return (template.objects ?? []).map((obj) => {
    const out = substitute(obj, params) as KubeObject;
    const own = out.metadata.labels ?? {};
    for (const [k, v] of Object.entries(template.labels ?? {})) {
      if (own[k] !== undefined && own[k] !== v) {
        throw new UserError('template.invalid', `Template ${template.metadata.name ?? ''}: label ${k}=${v} conflicts with ${k}=${own[k]} on ${out.kind} ${out.metadata.name ?? ''}`);
      }
    }
    if (template.labels && Object.keys(template.labels).length > 0) out.metadata = { ...out.metadata, labels: { ...own, ...template.labels } };
    return out;
  });
}
