/**
 * The log pane (toggled with `l`): the run's last log lines, newest at the bottom, in a
 * scrollable box that follows new lines until the person scrolls up. Long lines wrap.
 */
import { Box, Text } from 'ink';
import type { LogLine } from '../model.js';
import { ScrollBox } from './ScrollBox.js';

const LEVEL_COLOR = { info: undefined, warn: 'yellow', error: 'red' } as const;

/** Props: the lines, the pane height in rows (border included), whether it takes scroll keys. */
export function LogPane({ lines, height, active }: { lines: LogLine[]; height: number; active: boolean }) {
  return (
    <Box flexDirection="column" height={height} flexShrink={0} borderStyle="single" borderColor={active ? 'cyan' : 'gray'} borderLeft={false} borderRight={false} borderBottom={false}>
      <ScrollBox active={active} arrows={active} follow>
        {lines.length === 0 ? <Text dimColor>(no log lines yet)</Text> : null}
        {lines.map((l, i) => (
          <Text key={i} color={LEVEL_COLOR[l.level]}>
            {l.step ? `[${l.step}] ` : ''}
            {l.message}
          </Text>
        ))}
      </ScrollBox>
    </Box>
  );
}
