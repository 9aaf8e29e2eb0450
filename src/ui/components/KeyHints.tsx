/** The key hints line at the bottom: the keys that do something right now. */
import { Box, Text } from 'ink';

/** What the screen is doing, which decides the hints shown. */
export type HintMode = 'resume' | 'form' | 'plan' | 'question-list' | 'question' | 'idle' | 'browsing' | 'graph' | 'picker';

const HINTS: Record<HintMode, string> = {
  resume: '↑/↓ choose · Enter confirm',
  picker: '↑/↓ choose · Enter confirm',
  form: 'Enter next · Shift-Tab back · PgUp/PgDn scroll',
  plan: 'y/Enter apply · n abort · ↑/↓ scroll · e explain · g graph · l log',
  browsing: '←/→ step · Esc follow the run · ↑/↓ scroll · e explain · g graph',
  'question-list': '↑/↓ choose · Enter confirm · PgUp/PgDn scroll',
  question: 'Enter answer · PgUp/PgDn scroll',
  idle: '↑/↓ scroll · ←/→ step · e explain · g graph · l log',
  graph: 'g/Esc back to the steps · l log',
};

/** Renders the hints for `mode`; `logOpen` adds the pane switch; always ends with Ctrl-C quit. */
export function KeyHints({ mode, logOpen }: { mode: HintMode; logOpen: boolean }) {
  const extra = logOpen && (mode === 'idle' || mode === 'plan' || mode === 'browsing') ? ' · Tab switch pane' : '';
  return (
    <Box flexShrink={0}>
      <Text dimColor wrap="truncate-end">
        {HINTS[mode]}
        {extra} · Ctrl-C quit
      </Text>
    </Box>
  );
}
