/**
 * The answers file (`--answers FILE`): YAML whose top-level keys are step ids and whose
 * second-level keys are that step's input keys, e.g.
 * ```yaml
 * project:
 *   namespace: llm-hosting
 * ```
 * Validated against the steps' own `inputs` schemas (each field optional, unknown keys refused), so an
 * unknown step, an unknown key, a wrong type or a bad value is refused before anything runs,
 * pointing at the line: `answers.yaml:2 project.namespace: invalid value "Foo": ...` (exit 2).
 * Secrets never come from this file: only from flags, environment variables and prompts.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { z } from 'zod';
import { InputError } from '../engine/errors.js';
import { schemaDefaults, visibleValues } from '../engine/inputs.js';
import type { AnyStep, StepId } from '../engine/types.js';

/** Answers as the engine takes them: step id → input key → value. */
export type Answers = Record<StepId, Record<string, unknown>>;

/** One problem in an answers file: 1-based line (0: a key the file lacks), dotted key path, message. */
export interface AnswersProblem {
  line: number;
  key: string;
  message: string;
}

/** The answers file is wrong. `problems` lists every problem found (InputError: exit 2). */
export class AnswersError extends InputError {
  readonly problems: AnswersProblem[];
  constructor(file: string, problems: AnswersProblem[], fix: string) {
    const [first, ...rest] = problems;
    const at = (p: AnswersProblem | undefined): string => (p ? `${file}${p.line > 0 ? `:${p.line}` : ''} ${p.key}` : file);
    const more = rest.map((p) => `\n  ${at(p)}: ${p.message}`).join('');
    super(at(first), `${first?.message ?? 'invalid'}${more}`, fix);
    this.name = 'AnswersError';
    this.problems = problems;
  }
}

/**
 * Reads and validates an answers file. `steps` gives the schemas (each step's `inputs` and the
 * keys of its `secret` fields). Throws AnswersError (exit 2) for unreadable files, YAML syntax
 * errors, unknown steps or keys, secret keys, wrong types and values the step's schema refuses.
 */
export async function loadAnswers(path: string, steps: readonly AnyStep<unknown>[]): Promise<Answers> {
  const name = basename(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unreadable';
    throw new InputError(`--answers ${path}`, `cannot read the answers file (${code})`, 'check the path given to --answers');
  }
  return parseAnswers(text, name, steps);
}

/** Validates answers given as YAML text; `name` is used in messages. Same errors as `loadAnswers`. */
export function parseAnswers(text: string, name: string, steps: readonly AnyStep<unknown>[]): Answers {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => ({
      line: e.linePos?.[0].line ?? 1,
      key: '(yaml)',
      message: e.message.split('\n')[0] ?? e.message,
    }));
    throw new AnswersError(name, problems, 'fix the YAML syntax at that line (indent keys under their step id)');
  }
  const data: unknown = doc.toJS() ?? {};
  const schema = answersSchema(steps);
  const parsed = schema.safeParse(data);
  if (parsed.success) return onlyGivenKeys(parsed.data as Answers, data);

  const problems: AnswersProblem[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const full = [...path, key];
        problems.push({ line: lineOf(doc, full, lineCounter), key: full.join('.'), message: unknownKeyMessage(steps, path, key) });
      }
      continue;
    }
    const value = valueAt(data, path);
    const shown = value === undefined ? '' : `invalid value ${JSON.stringify(value)}: `;
    problems.push({ line: lineOf(doc, path, lineCounter), key: path.join('.') || '(top level)', message: `${shown}${issue.message}` });
  }
  problems.sort((a, b) => a.line - b.line);
  throw new AnswersError(name, problems, 'correct or remove those keys; `maas-wizard --help` and README "Answers file" list the steps and their inputs');
}

/**
 * The zod schema of a whole answers file: `{ [stepId]: <each field of step.inputs, optional> }`, strict.
 * A step whose `inputs` is not a zod object accepts any map (the engine validates it later).
 * Keys of secret fields are unknown keys here; the message says where secrets come from.
 */
export function answersSchema(steps: readonly AnyStep<unknown>[]): z.ZodType<Answers> {
  const shape: Record<string, z.ZodType> = {};
  for (const step of steps) {
    const inputs: z.ZodType = step.inputs;
    // Each field on its own, optional. Built from the shape rather than with `.partial()`, which zod
    // refuses on objects with refinements; cross-field rules are checked by the engine later.
    const perStep: z.ZodType =
      inputs instanceof z.ZodObject
        ? z.object(Object.fromEntries(Object.entries(inputs.shape as Record<string, z.ZodType>).map(([k, v]) => [k, v.optional()]))).strict()
        : z.record(z.string(), z.unknown());
    shape[step.id] = perStep.optional();
  }
  return z.object(shape).strict() as unknown as z.ZodType<Answers>;
}

/**
 * The parsed answers without the keys the file did not give: parsing fills schema defaults, but the
 * answers must hold only what the file says, so that the engine's own order (schema default, then
 * facts, then saved inputs, then answers) decides the rest.
 */
function onlyGivenKeys(parsed: Answers, given: unknown): Answers {
  const out: Answers = {};
  for (const [step, values] of Object.entries(parsed)) {
    const raw = (given as Record<string, unknown>)[step];
    if (!values || typeof raw !== 'object' || raw === null) continue;
    out[step] = Object.fromEntries(Object.entries(values).filter(([k]) => k in raw));
  }
  return out;
}

function secretMessage(step: AnyStep<unknown>, key: string): string {
  const field = step.fields.find((f) => f.key === key);
  const ways = [field?.flag, field?.env ? `the environment variable ${field.env}` : undefined].filter(Boolean);
  return `is a secret and answers files hold no secrets; give it with ${ways.length ? ways.join(' or ') : 'the prompt'} instead`;
}

function unknownKeyMessage(steps: readonly AnyStep<unknown>[], parent: PropertyKey[], key: string): string {
  if (parent.length === 0) {
    return `unknown step "${key}"; the steps are: ${steps.map((s) => s.id).join(', ')}`;
  }
  const step = steps.find((s) => s.id === parent[0]);
  if (step && parent.length === 1 && step.fields.some((f) => f.key === key && f.kind === 'secret')) return secretMessage(step, key);
  const inputs: z.ZodType | undefined = step?.inputs;
  const known = inputs instanceof z.ZodObject ? Object.keys(inputs.shape as object) : [];
  return `unknown key "${key}"${known.length ? `; ${String(parent[0])} takes: ${known.join(', ')}` : ''}`;
}

function valueAt(data: unknown, path: PropertyKey[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** 1-based line of the key (or item) at `path` in the document; the nearest existing parent otherwise. */
function lineOf(doc: Document, path: PropertyKey[], lc: LineCounter): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lc.linePos(offset).line;
}

/**
 * For unattended runs (`--yes`, or no terminal): refuses, before anything runs, answers that leave
 * a step of the file unable to start: a value one of its cross-field rules needs is missing (e.g.
 * `sso.identity-provider.provider: google` without `clientId`), which per-field validation in
 * `parseAnswers` cannot see and which the engine would otherwise find only when that step comes
 * up, after the steps before it changed the cluster and the progress file.
 *
 * Only steps the file names are checked, each with what the run would have without a cluster: the
 * schema's defaults, the step's `defaults` with no earlier outputs (preflight facts unknown), the
 * saved inputs (`saved(id)`, from the progress file) and the file's answers; fields hidden for
 * those values are left out (src/engine/inputs.ts `visibleValues`). Only problems the file's values
 * cause are reported: one that exists without them too is a value a cluster fact fills at run time.
 * @param file the answers file's name, for messages.
 * @throws AnswersError (exit 2) listing every such problem as `<step>.<key>` (line 0: not in the file).
 */
export function checkAnswersComplete(answers: Answers, steps: readonly AnyStep<unknown>[], file: string, saved: (id: StepId) => Record<string, unknown> | undefined = () => undefined): void {
  const problems: AnswersProblem[] = [];
  for (const [id, given] of Object.entries(answers)) {
    const step = steps.find((s) => s.id === id);
    if (!step) continue;
    let factless: Record<string, unknown> = {};
    try {
      factless = (step.defaults?.({ outputs: () => undefined }) ?? {}) as Record<string, unknown>;
    } catch {
      // a step whose defaults need earlier outputs: its schema's defaults stand in
    }
    const base = { ...schemaDefaults(step.inputs), ...factless, ...(saved(id) ?? {}) };
    const values = { ...base, ...given };
    const secretKeys = new Set(step.fields.filter((f) => f.kind === 'secret').map((f) => f.key));
    const issuesOf = (v: Record<string, unknown>): { key: string; message: string }[] => {
      const parsed = step.inputs.safeParse(visibleValues(step.fields, v));
      return parsed.success ? [] : parsed.error.issues.map((i) => ({ key: typeof i.path[0] === 'string' ? i.path[0] : '', message: i.message }));
    };
    // Only what the file's values cause: a problem there without them too (a value a preflight fact
    // fills, such as sso.client.redirectUris) is left to the run, which has the facts.
    const without = new Set(issuesOf(base).map((i) => `${i.key}\u0000${i.message}`));
    for (const issue of issuesOf(values)) {
      if (secretKeys.has(issue.key) || without.has(`${issue.key}\u0000${issue.message}`)) continue;
      const missing = issue.key !== '' && values[issue.key] === undefined;
      problems.push({ line: 0, key: issue.key ? `${id}.${issue.key}` : id, message: `${missing ? 'missing: ' : ''}${issue.message}` });
    }
  }
  if (problems.length === 0) return;
  throw new AnswersError(file, problems, `add ${problems.map((p) => `"${p.key}"`).join(', ')} to the answers file, or run the wizard in a terminal to be asked`);
}
