/**
 * `maas-wizard answers --example | --schema` (issue #9 item 7): prints the commented example
 * answers file (every input, its default and meaning) or the answers file's JSON Schema (for
 * editor completion, e.g. a `# yaml-language-server: $schema=answers.schema.json` line), to
 * stdout or to `--out FILE`. Needs no cluster. The steps are those of the default model
 * selection, or of the models chosen by `--answers FILE` (`import.models`).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EXIT } from '../../engine/errors.js';
import { loadAnswers } from '../answers.js';
import { answersExample } from '../export/answers-example.js';
import { answersJsonSchema } from '../export/answers-schema.js';
import type { CliIo } from '../io.js';
import { loadSteps } from '../lazy.js';
import type { GlobalOptions } from '../options.js';
import { UsageError } from '../report-error.js';

/** Options of `maas-wizard answers`. */
export interface AnswersFlags {
  example?: boolean;
  schema?: boolean;
  /** Write to FILE instead of stdout. */
  out?: string;
}

/**
 * Prints (or writes) the example or the schema; returns the exit code (0).
 * @throws UsageError (exit 2) unless exactly one of --example / --schema is given;
 *   AnswersError (exit 2) for a bad `--answers` file.
 */
export async function runAnswers(flags: AnswersFlags, opts: GlobalOptions, io: CliIo): Promise<number> {
  if (Boolean(flags.example) === Boolean(flags.schema)) {
    throw new UsageError('answers takes one of --example or --schema', 'maas-wizard answers --example > answers.yaml, or maas-wizard answers --schema > answers.schema.json');
  }
  const cwd = io.cwd ?? process.cwd();
  let steps = await loadSteps();
  if (opts.answers) {
    const models = (await loadAnswers(resolve(cwd, opts.answers), steps))['import']?.['models'];
    if (Array.isArray(models)) steps = await loadSteps({ models: models.map(String) });
  }
  const text = flags.example ? answersExample(steps) : `${JSON.stringify(answersJsonSchema(steps), null, 2)}\n`;
  if (flags.out) {
    const file = resolve(cwd, flags.out);
    await writeFile(file, text, 'utf8');
    io.stderr.write(`wrote ${file}\n`);
  } else io.stdout.write(text);
  return EXIT.ok;
}
