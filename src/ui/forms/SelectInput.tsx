/**
 * A choice list: ↑/↓ move, Enter chooses. Shows at most `limit` choices around the
 * highlighted one, with "↑ n more / ↓ n more" when the list is longer. One line per choice: a
 * hint too long for the width is cut with "…", the label never.
 */
import { useRef } from 'react';
import { Box, Text, useInput } from 'ink';
import type { Choice } from '../../engine/types.js';

/** Props: `value` is the highlighted choice's value; `onChange` moves the highlight; `onSubmit` chooses. */
export interface SelectInputProps {
  choices: Choice[];
  value: string;
  onChange(value: string): void;
  onSubmit(value: string): void;
  isActive: boolean;
  limit?: number;
}

/** Renders the list (or only the chosen label when inactive). */
export function SelectInput({ choices, value, onChange, onSubmit, isActive, limit = 5 }: SelectInputProps) {
  const indexOf = (v: string) => Math.max(0, choices.findIndex((c) => c.value === v));
  const index = indexOf(value);
  // The latest highlighted value, so keys arriving before the next render build on each other.
  const latest = useRef(value);
  latest.current = value;
  useInput(
    (_input, key) => {
      if (choices.length === 0) return;
      const i = indexOf(latest.current);
      let next: string | undefined;
      if (key.upArrow) next = choices[(i - 1 + choices.length) % choices.length]!.value;
      else if (key.downArrow) next = choices[(i + 1) % choices.length]!.value;
      else if (key.return) return onSubmit(choices[i]!.value);
      if (next !== undefined) {
        latest.current = next;
        onChange(next);
      }
    },
    { isActive },
  );
  const current = choices[index];
  if (!isActive) return <Text>{current ? current.label : value}</Text>;
  const start = Math.min(Math.max(0, index - Math.floor(limit / 2)), Math.max(0, choices.length - limit));
  const visible = choices.slice(start, start + limit);
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
      {visible.map((c) => {
        const on = c.value === current?.value;
        return (
          <Box key={c.value}>
            <Box flexShrink={0}>
              <Text color={on ? 'cyan' : undefined}>
                {on ? '❯ ' : '  '}
                {c.label}
              </Text>
            </Box>
            <ChoiceHint hint={c.hint} />
          </Box>
        );
      })}
      {start + limit < choices.length ? <Text dimColor>  ↓ {choices.length - start - limit} more</Text> : null}
    </Box>
  );
}

/**
 * A choice's hint beside its label, dimmed. It gives way first: cut at the pane's edge rather
 * than wrapped under the choices. Renders nothing without a hint.
 */
export function ChoiceHint({ hint }: { hint: string | undefined }) {
  if (!hint) return null;
  return (
    <Box flexShrink={1}>
      <Text dimColor wrap="truncate-end">
        {' '}
        {hint}
      </Text>
    </Box>
  );
}
