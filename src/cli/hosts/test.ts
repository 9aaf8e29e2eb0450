/**
 * The test host: the engine's ScriptedHost (scripted form values, plan answers and question
 * answers; every call recorded) plus a record of the event stream, for tests of the CLI.
 * A script can be loaded from a YAML file: `{ interactive?, inputs?, plans?, questions? }`
 * with the shapes of `ScriptedAnswers` (src/engine/host.ts). Set the environment variable
 * `MAAS_WIZARD_TEST_SCRIPT=FILE` to run the built CLI with it (child-process tests only).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { InputError } from '../../engine/errors.js';
import { ScriptedHost } from '../../engine/host.js';
import type { ScriptedAnswers } from '../../engine/host.js';
import type { EngineEvent } from '../../engine/types.js';
import type { EventSource } from './json.js';

const planAnswer = z.enum(['apply', 'abort']);
const scriptSchema = z
  .object({
    interactive: z.boolean().optional(),
    inputs: z.record(z.string(), z.union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))])).optional(),
    plans: z.union([planAnswer, z.record(z.string(), planAnswer)]).optional(),
    questions: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/** A test script: scripted answers and whether the host claims a person is there. */
export type TestScript = ScriptedAnswers & { interactive?: boolean };

/** A ScriptedHost that also records every engine event it was attached to. */
export class TestHost extends ScriptedHost {
  /** Every event seen, in order. */
  readonly events: EngineEvent[] = [];

  constructor(script: TestScript = {}) {
    const { interactive, ...answers } = script;
    super(answers, interactive === undefined ? {} : { interactive });
  }

  /** Records the event stream of `source`; returns the unsubscribe function. */
  attach(source: EventSource): () => void {
    return source.on((e) => this.events.push(e));
  }
}

/**
 * Reads a test script from a YAML file.
 * @throws InputError (exit 2) when the file is unreadable or not of the TestScript shape.
 */
export function loadTestScript(file: string): TestScript {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError('MAAS_WIZARD_TEST_SCRIPT', `cannot read ${file}: ${(err as Error).message}`, 'point it at a readable YAML file');
  }
  const parsed = scriptSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError('MAAS_WIZARD_TEST_SCRIPT', `${file}: ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}`, 'use the keys interactive, inputs, plans, questions');
  }
  return parsed.data as TestScript;
}
