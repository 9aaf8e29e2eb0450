/**
 * State symbols and colours shared by the stage list and the step pane:
 * ✔ done, ✖ failed, ◌ pending, a spinner while running.
 */
import { Text } from 'ink';
import type { StepState } from '../../engine/types.js';
import type { StageState } from '../model.js';
import { useSpinnerFrame } from '../clock.js';

export { STAGE_TITLES, stageTitle } from '../stages.js';

/** Colour name (Ink/chalk) for a step or stage state. */
export function stateColor(state: StepState | StageState): string | undefined {
  switch (state) {
    case 'done':
      return 'green';
    case 'failed':
      return 'red';
    case 'cancelled':
      return 'yellow';
    case 'pending':
    case 'skipped':
      return 'gray';
    case 'awaiting-confirmation':
      return 'magenta';
    default:
      return 'cyan';
  }
}

/** The one-character symbol of a state, coloured; a spinner for running states. */
export function StateSymbol({ state }: { state: StepState | StageState }) {
  switch (state) {
    case 'done':
      return <Text color="green">✔</Text>;
    case 'failed':
      return <Text color="red">✖</Text>;
    case 'cancelled':
      return <Text color="yellow">■</Text>;
    case 'skipped':
      return <Text color="gray">–</Text>;
    case 'pending':
      return <Text color="gray">◌</Text>;
    case 'partial':
      return <Text color="cyan">◐</Text>;
    case 'awaiting-confirmation':
      return <Text color="magenta">?</Text>;
    default:
      return <Spinner />;
  }
}

/** A spinner (frozen on its first frame under frozen clock settings). */
export function Spinner() {
  const frame = useSpinnerFrame();
  return <Text color="cyan">{frame}</Text>;
}
