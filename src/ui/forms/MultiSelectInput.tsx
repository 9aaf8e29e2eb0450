/**
 * A multi-select list: ↑/↓ move, Space toggles the highlighted choice, Enter accepts the chosen
 * set. Typing (or pasting) text that is not among the choices — a Hugging Face repo id, say — fills
 * an "add" line; Enter then adds it (several when separated by spaces or commas) as chosen
 * values instead of accepting. Backspace edits the add line, Ctrl-U clears it. Shows at most
 * `limit` choices around the highlighted one, with "↑ n more / ↓ n more"; one line per choice,
 * a hint too long for the width cut with "…", the label never.
 */
import { useRef, useState } from 'react';
import { Box, Text, useInput, usePaste } from 'ink';
import type { Choice } from '../../engine/types.js';
import { ChoiceHint } from './SelectInput.js';
import { cleanInput } from './TextInput.js';

/** Props: controlled `selected` values; `onChange` gets the new set after a toggle or an addition; `onSubmit` the set on Enter. */
export interface MultiSelectInputProps {
  choices: Choice[];
  selected: string[];
  onChange(selected: string[]): void;
  onSubmit(selected: string[]): void;
  isActive: boolean;
  limit?: number;
  /** What the add line invites (default "add another"). */
  addLabel?: string;
}

/**
 * The list shown: the choices, then the selected values that are not among them (typed in
 * earlier, or saved from an earlier run) as choices of their own.
 */
export function multiSelectList(choices: readonly Choice[], selected: readonly string[]): Choice[] {
  const known = new Set(choices.map((c) => c.value));
  const extra = selected.filter((v) => !known.has(v)).map((v) => ({ value: v, label: v, hint: 'typed in' }));
  return [...choices, ...extra];
}

/** `selected` with `value` added or removed, in the order of `list` (then anything else). */
export function toggleValue(list: readonly Choice[], selected: readonly string[], value: string): string[] {
  const set = new Set(selected);
  if (set.has(value)) set.delete(value);
  else set.add(value);
  const order = list.map((c) => c.value);
  return [...order.filter((v) => set.has(v)), ...[...set].filter((v) => !order.includes(v))];
}

/** The summary shown when the field is not focused: the chosen values, or "none chosen". */
export function selectedSummary(list: readonly Choice[], selected: readonly string[]): string {
  if (selected.length === 0) return 'none chosen';
  return selected.map((v) => list.find((c) => c.value === v)?.label ?? v).join(', ');
}

/** Renders the list with `[x]` / `[ ]` marks when active, the summary otherwise. */
export function MultiSelectInput({ choices, selected, onChange, onSubmit, isActive, limit = 5, addLabel = 'add another' }: MultiSelectInputProps) {
  // Refs hold the latest values so keys arriving before the next render build on each other.
  const latest = useRef(selected);
  latest.current = selected;
  const [highlight, setHighlightState] = useState(0);
  const highlightRef = useRef(0);
  const [typed, setTypedState] = useState('');
  const typedRef = useRef('');
  const setHighlight = (i: number) => {
    highlightRef.current = i;
    setHighlightState(i);
  };
  const setTyped = (t: string) => {
    typedRef.current = t;
    setTypedState(t);
  };
  const change = (next: string[]) => {
    latest.current = next;
    onChange(next);
  };

  useInput(
    (input, key) => {
      const list = multiSelectList(choices, latest.current);
      const i = Math.min(highlightRef.current, Math.max(0, list.length - 1));
      if (key.return) {
        const adding = typedRef.current.split(/[\s,]+/).filter(Boolean);
        if (adding.length === 0) return onSubmit(latest.current);
        let next = latest.current;
        for (const v of adding) if (!next.includes(v)) next = [...next, v];
        change(next);
        setTyped('');
        const after = multiSelectList(choices, next);
        setHighlight(Math.max(0, after.findIndex((c) => c.value === adding[adding.length - 1])));
        return;
      }
      if (key.upArrow && list.length > 0) return setHighlight((i - 1 + list.length) % list.length);
      if (key.downArrow && list.length > 0) return setHighlight((i + 1) % list.length);
      if (key.backspace || key.delete) return setTyped([...typedRef.current].slice(0, -1).join(''));
      if (key.ctrl && input === 'u') return setTyped('');
      if (key.ctrl || key.meta || key.escape || key.tab || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown) return;
      if (input === ' ' && typedRef.current === '') {
        const c = list[i];
        if (c) change(toggleValue(list, latest.current, c.value));
        return;
      }
      const text = cleanInput(input);
      if (text) setTyped(typedRef.current + text);
    },
    { isActive },
  );
  usePaste(
    (text) => {
      const clean = cleanInput(text.replace(/[\r\n]+/g, ' '));
      if (clean) setTyped(typedRef.current + clean);
    },
    { isActive },
  );

  const list = multiSelectList(choices, selected);
  if (!isActive) return <Text>{selectedSummary(list, selected)}</Text>;
  const index = Math.min(highlight, Math.max(0, list.length - 1));
  const start = Math.min(Math.max(0, index - Math.floor(limit / 2)), Math.max(0, list.length - limit));
  const visible = list.slice(start, start + limit);
  const chosen = new Set(selected);
  return (
    <Box flexDirection="column">
      {start > 0 ? <Text dimColor>  ↑ {start} more</Text> : null}
      {visible.map((c) => {
        const on = typed === '' && c.value === list[index]?.value;
        return (
          <Box key={c.value}>
            <Box flexShrink={0}>
              <Text color={on ? 'cyan' : undefined}>
                {on ? '❯ ' : '  '}
                <Text color={chosen.has(c.value) ? 'green' : undefined}>{chosen.has(c.value) ? '[x] ' : '[ ] '}</Text>
                {c.label}
              </Text>
            </Box>
            <ChoiceHint hint={c.hint} />
          </Box>
        );
      })}
      {start + limit < list.length ? <Text dimColor>  ↓ {list.length - start - limit} more</Text> : null}
      <Box>
        <Box flexShrink={0}>
          <Text color={typed ? 'cyan' : undefined}>
            {typed ? '❯ ' : '  '}+ {addLabel}:{' '}
          </Text>
        </Box>
        {/* A long id keeps its end (what is being typed) in view. */}
        <Box flexShrink={1}>
          <Text color="cyan" wrap="truncate-start">
            {typed}
            <Text inverse> </Text>
          </Text>
        </Box>
        {typed ? (
          <Box flexShrink={0}>
            <Text dimColor> Enter adds</Text>
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}
