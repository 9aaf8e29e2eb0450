/**
 * The demo's first screen (`--demo` on a terminal without `--scenario`): "normal run" or one of
 * the simulated cluster's failure scenarios (src/sim/scenarios.ts names and descriptions), so a
 * trainer can run the setup into a named failure and show the diagnosis and the repair path.
 * Mounted on its own before the simulated cluster starts; unmounted once a choice is made.
 */
import { createElement, useState } from 'react';
import { Box, Text, render, useInput } from 'ink';
import { SelectInput } from './forms/SelectInput.js';
import { KeyHints } from './components/KeyHints.js';
import { colorlessStream } from './format.js';

/** A scenario as the picker lists it. */
export interface ScenarioChoice {
  name: string;
  description: string;
}

/** The value of the "normal run" choice. */
export const NORMAL_RUN = '';

/** Props of the picker screen. */
export interface ScenarioPickerProps {
  scenarios: readonly ScenarioChoice[];
  /** Called with the scenario's name, or NORMAL_RUN. */
  onPick(name: string): void;
  /** Called on Ctrl-C. */
  onInterrupt?(): void;
  isActive?: boolean;
}

/** The picker: a heading, the list (normal run first), the highlighted scenario's full description. */
export function ScenarioPicker({ scenarios, onPick, onInterrupt, isActive = true }: ScenarioPickerProps) {
  const [value, setValue] = useState<string>(NORMAL_RUN);
  useInput((input, key) => {
    if (key.ctrl && input === 'c') onInterrupt?.();
  });
  const choices = [
    { value: NORMAL_RUN, label: 'Normal run', hint: 'a healthy simulated cluster' },
    ...scenarios.map((s) => ({ value: s.name, label: s.name })),
  ];
  const picked = scenarios.find((s) => s.name === value);
  return (
    <Box flexDirection="column">
      <Text bold>Simulated cluster: run normally, or into a named failure?</Text>
      <Text dimColor>A failure scenario shows where the wizard stops, its diagnosis and the repair path.</Text>
      <Box marginTop={1} flexDirection="column">
        <SelectInput choices={choices} value={value} onChange={setValue} onSubmit={onPick} isActive={isActive} limit={8} />
      </Box>
      <Box marginTop={1}>
        <Text color="cyan">{picked ? picked.description : 'Every step succeeds; operators take their realistic time (see --demo-speed).'}</Text>
      </Box>
      <KeyHints mode="picker" logOpen={false} />
    </Box>
  );
}

/** Options of pickScenario. */
export interface PickScenarioOptions {
  scenarios: readonly ScenarioChoice[];
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  /** Environment for `NO_COLOR` (default `process.env`). */
  env?: Record<string, string | undefined>;
  /** Aborts the picker (Ctrl-C from the CLI); it then resolves `undefined`. */
  signal?: AbortSignal;
}

/**
 * Shows the picker and resolves with the chosen scenario's name, NORMAL_RUN (`''`) for a normal
 * run, or `undefined` when interrupted (Ctrl-C or `signal`). Throws what Ink's `render` throws.
 */
export async function pickScenario(options: PickScenarioOptions): Promise<string | undefined> {
  const env = options.env ?? process.env;
  const stdout = env['NO_COLOR'] ? colorlessStream(options.stdout ?? process.stdout) : options.stdout;
  let settle!: (v: string | undefined) => void;
  const result = new Promise<string | undefined>((r) => (settle = r));
  const instance = render(
    createElement(ScenarioPicker, { scenarios: options.scenarios, onPick: (n: string) => settle(n), onInterrupt: () => settle(undefined) }),
    { ...(options.stdin ? { stdin: options.stdin } : {}), ...(stdout ? { stdout } : {}), exitOnCtrlC: false, patchConsole: false },
  );
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
