/**
 * Questions on a terminal without Ink (`--plain` on a TTY), with @inquirer/prompts: the step's
 * form field by field, the plan confirmation, and the engine's questions. Only used when a
 * person can answer (a TTY, not CI, not --yes); secrets are typed masked and never echoed.
 */
import { checkbox, confirm, input, number, password, select } from '@inquirer/prompts';
import type { HostStep } from '../../engine/host.js';
import { isFieldShown } from '../../engine/types.js';
import type { Change, DefaultsContext, InputField, Question } from '../../engine/types.js';
import { promptOutput } from '../io.js';
import type { CliInput, CliOutput } from '../io.js';

/** Streams the prompts read and write. */
export interface PromptIo {
  stdin: CliInput;
  stdout: CliOutput;
  signal?: AbortSignal;
}

/**
 * The streams of one prompt. A fresh output each time: a prompt ends its output stream when it is
 * answered (@inquirer/core pipes into it and ends the pipe), so a shared one would leave the next
 * prompt writing nowhere and waiting forever.
 */
function context(io: PromptIo): { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; signal?: AbortSignal } {
  return { input: io.stdin, output: promptOutput(io.stdout), ...(io.signal ? { signal: io.signal } : {}) };
}

/**
 * Asks every shown field of a step's form, prefilled with `values`; validation `errors` from the
 * last attempt are shown with the field. A field whose `when` is false for the values answered so
 * far is skipped (its value is kept as it came). Returns the edited values (secret fields
 * included: in memory only). `facts` feeds the `choices` of select and multi-select fields; a
 * multi-select is a checkbox list followed by a text prompt for values not in the list.
 */
export async function promptInputs(
  io: PromptIo,
  step: HostStep,
  fields: InputField[],
  values: Record<string, unknown>,
  errors: Record<string, string>,
  facts: DefaultsContext,
): Promise<Record<string, unknown>> {
  io.stdout.write(`\n${step.title}\n  ${step.explain.what}\n`);
  if (errors['']) io.stdout.write(`  ! ${errors['']}\n`);
  const out: Record<string, unknown> = { ...values };
  const ctx = (): ReturnType<typeof context> => context(io);
  for (const field of fields) {
    if (!isFieldShown(field, out)) continue;
    const err = errors[field.key];
    const message = `${field.label}${err ? ` (${err})` : ''}`;
    const current = values[field.key];
    switch (field.kind) {
      case 'secret': {
        const typed = await password({ message: current ? `${message} [keep the current value: Enter]` : message, mask: '•' }, ctx());
        out[field.key] = typed === '' && current !== undefined ? current : typed;
        break;
      }
      case 'number': {
        const n = await number({ message, ...(typeof current === 'number' ? { default: current } : {}) }, ctx());
        if (n !== undefined) out[field.key] = n;
        break;
      }
      case 'confirm':
        out[field.key] = await confirm({ message, default: current === true }, ctx());
        break;
      case 'multiselect': {
        out[field.key] = await askMultiselect(field, message, current, facts, ctx);
        break;
      }
      case 'select': {
        const choices = field.choices?.(facts) ?? [];
        if (choices.length === 0) {
          out[field.key] = await input({ message, ...(current !== undefined ? { default: String(current) } : {}) }, ctx());
          break;
        }
        const picked = await select(
          {
            message,
            choices: choices.map((c) => ({ value: c.value, name: c.label, ...(c.hint ? { description: c.hint } : {}) })),
            ...(typeof current === 'string' ? { default: current } : {}),
          },
          ctx(),
        );
        out[field.key] = picked;
        break;
      }
      default:
        out[field.key] = await input({ message, ...(current !== undefined ? { default: String(current) } : {}) }, ctx());
    }
  }
  return out;
}

/** A multi-select's value as a list: an array as is, a string split at commas and spaces. */
function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  return [];
}

/**
 * A multi-select field: a checkbox list of its choices (the current values checked), then the
 * values not in the list, typed comma-separated (prefilled with those already chosen). Returns
 * the chosen values, list order first.
 */
async function askMultiselect(
  field: InputField,
  message: string,
  current: unknown,
  facts: DefaultsContext,
  ctx: () => ReturnType<typeof context>,
): Promise<string[]> {
  const chosen = asList(current);
  const choices = field.choices?.(facts) ?? [];
  const known = new Set(choices.map((c) => c.value));
  const picked =
    choices.length === 0
      ? []
      : await checkbox(
          {
            message: `${message} (Space toggles, Enter accepts)`,
            choices: choices.map((c) => ({ value: c.value, name: c.label, checked: chosen.includes(c.value), ...(c.hint ? { description: c.hint } : {}) })),
          },
          ctx(),
        );
  const others = chosen.filter((v) => !known.has(v));
  const typed = await input({ message: `${field.label}: others not in the list (comma-separated, optional)`, default: others.join(', ') }, ctx());
  const extra = asList(typed).filter((v) => !picked.includes(v));
  return [...picked, ...extra];
}

/** Shows the plan (one line per change) and asks whether to apply it. */
export async function promptPlan(io: PromptIo, step: { id: string; title: string }, changes: Change[], describe: (c: Change) => string[]): Promise<'apply' | 'abort'> {
  io.stdout.write(`\nPlan for ${step.title}:\n`);
  for (const c of changes) for (const line of describe(c)) io.stdout.write(`  ${line}\n`);
  const ok = await confirm({ message: `Apply these ${changes.filter((c) => c.action !== 'none').length} changes?`, default: true }, context(io));
  return ok ? 'apply' : 'abort';
}

/** Puts one engine question (confirm, select, text, checkpoint) to the person. */
export async function promptQuestion(io: PromptIo, question: Question): Promise<unknown> {
  const ctx = (): ReturnType<typeof context> => context(io);
  switch (question.kind) {
    case 'confirm':
      if (question.details) io.stdout.write(`${question.details}\n`);
      return confirm({ message: question.message, default: question.default }, ctx());
    case 'select':
      if (question.details) io.stdout.write(`${question.details}\n`);
      return select(
        { message: question.message, default: question.default, choices: question.choices.map((c) => ({ value: c.value, name: c.label })) },
        ctx(),
      );
    case 'text':
      if (question.details) io.stdout.write(`${question.details}\n`);
      return question.secret
        ? password({ message: question.message, mask: '•' }, ctx())
        : input({ message: question.message, ...(question.default !== undefined ? { default: question.default } : {}) }, ctx());
    case 'checkpoint':
      io.stdout.write(`\n${question.title}\n${question.body}\n${question.url ? `${question.url}\n` : ''}`);
      while (!(await confirm({ message: 'Done?', default: true }, ctx()))) {
        io.stdout.write('Take your time; answer yes when it is done.\n');
      }
      return true;
  }
}
