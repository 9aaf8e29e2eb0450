/**
 * The stage list: one line per stage with its symbol, title, steps done / total and elapsed
 * time (m:ss). Running stages use `now` from the clock (a placeholder when frozen without `now`).
 */
import { Box, Text } from 'ink';
import type { RunView } from '../model.js';
import { formatElapsed } from '../format.js';
import { useNow } from '../clock.js';
import { StateSymbol, stageTitle, stateColor } from './symbols.js';

/** Props: the run view, the stage of the step shown in the step pane (highlighted), the width in columns. */
export interface StageListProps {
  view: RunView;
  currentStage?: string;
  width: number;
}

/** Renders the stage list. */
export function StageList({ view, currentStage, width }: StageListProps) {
  const now = useNow();
  return (
    <Box flexDirection="column" width={width} flexShrink={0}>
      {view.stages.map((st) => {
        const elapsed = formatElapsed(st.startedAt, st.endedAt, now);
        const count = st.total > 1 ? ` ${st.done}/${st.total}` : '';
        const current = st.id === currentStage;
        return (
          <Box key={st.id} width={width}>
            <Text>{current ? '›' : ' '}</Text>
            <StateSymbol state={st.state} />
            <Box flexGrow={1} flexShrink={1} flexBasis={0} marginLeft={1}>
              <Text bold={current} color={stateColor(st.state)} wrap="truncate-end">
                {stageTitle(st.id)}
                {count}
              </Text>
            </Box>
            <Box flexShrink={0}>
              <Text dimColor>{elapsed.padStart(8)}</Text>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
