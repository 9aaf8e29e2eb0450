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
import type { AnyStep, StepId } from '../engine/types.js';

/** Answers as the engine takes them: step id → input key → value. */
export type Answers = Record<StepId, Record<string, unknown>>;

/** One problem in an answers file: 1-based line, dotted key path, message. */
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
    const at = (p: AnswersProblem | undefined): string => (p ? `${file}:${p.line} ${p.key}` : file);
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
