/**
 * The wizard's first question on a terminal (before the step graph exists): which models to set
 * up. Every chosen model gets its own steps (import, serving, 3scale product, policies), so this
 * is asked on its own screen before the main one, with the catalog as a multi-select and any
 * other Hugging Face repo id typed in (src/cli/models.ts decides when it is asked).
 */
import { createElement } from 'react';
import { Box, Text, render, useInput } from 'ink';
import type { HostStep } from '../engine/host.js';
import type { InputField } from '../engine/types.js';
import { Form } from './forms/Form.js';
import { KeyHints } from './components/KeyHints.js';
import { colorlessStream } from './format.js';

/** Props of the picker screen. */
export interface ModelPickerProps {
  step: HostStep;
  fields: InputField[];
  values: Record<string, unknown>;
  /** Messages per field key from the last check (e.g. "choose at least one model"). */
  errors: Record<string, string>;
  onSubmit(values: Record<string, unknown>): void;
  /** Called on Ctrl-C. */
  onInterrupt?(): void;
  /** Width in columns (default: the terminal's). */
  width?: number;
}

/** The picker: the question, what the choice means, the form, the key hints. */
export function ModelPicker({ step, fields, values, errors, onSubmit, onInterrupt, width }: ModelPickerProps) {
  useInput((input, key) => {
    if (key.ctrl && input === 'c') onInterrupt?.();
  });
  return (
    <Box flexDirection="column" {...(width ? { width } : {})}>
      <Text bold>{step.title}</Text>
      <Text dimColor>{step.explain.what}</Text>
      <Box marginTop={1} flexDirection="column">
        <Form fields={fields} values={values} errors={errors} ctx={{ outputs: () => undefined }} onSubmit={onSubmit} isActive />
      </Box>
      <KeyHints mode="form" logOpen={false} />
    </Box>
  );
}

/** Options of askModelPicker: the screen's props and the terminal. */
export interface AskModelPickerOptions {
  step: HostStep;
  fields: InputField[];
  values: Record<string, unknown>;
  errors: Record<string, string>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Environment for `NO_COLOR` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Aborts the picker (Ctrl-C from the CLI); it then resolves `undefined`. */
  signal?: AbortSignal;
}

/**
 * Shows the picker and resolves with the submitted values, or `undefined` when interrupted
 * (Ctrl-C or `signal`). Throws what Ink's `render` throws.
 */
export async function askModelPicker(options: AskModelPickerOptions): Promise<Record<string, unknown> | undefined> {
  const env = options.env ?? process.env;
  const stdout = env['NO_COLOR'] ? colorlessStream(options.stdout ?? process.stdout) : options.stdout;
  let settle!: (v: Record<string, unknown> | undefined) => void;
  const result = new Promise<Record<string, unknown> | undefined>((r) => (settle = r));
  const props: ModelPickerProps = {
    step: options.step, fields: options.fields, values: options.values, errors: options.errors,
    onSubmit: (v) => settle(v), onInterrupt: () => settle(undefined),
  };
  const instance = render(createElement(ModelPicker, props), {
    ...(options.stdin ? { stdin: options.stdin } : {}), ...(stdout ? { stdout } : {}), exitOnCtrlC: false, patchConsole: false,
  });
  const onAbort = (): void => settle(undefined);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return await result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
  }
}
