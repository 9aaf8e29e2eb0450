/**
 * A one-line text input. Typed and pasted text is appended (a paste arrives as one write, C15;
 * bracketed pastes through `usePaste`; line breaks in pasted text are dropped). Backspace
 * deletes, Ctrl-U clears, Enter submits. With `mask`, every character shows as `•` and the
 * value is never rendered in clear (secret fields).
 */
import { Text, useInput, usePaste } from 'ink';

/**
 * Props: controlled `value`; `onEdit` receives an edit to apply to the latest value (so two
 * writes that arrive before a re-render both count); `allow` filters typed characters (e.g.
 * digits for numbers).
 */
export interface TextInputProps {
  value: string;
  onEdit(edit: (previous: string) => string): void;
  onSubmit(): void;
  isActive: boolean;
  mask?: boolean;
  placeholder?: string;
  allow?: RegExp;
  /** How a value wider than the space left is shown: wrapped (default) or cut with "…". */
  wrap?: 'wrap' | 'truncate-end';
}

/** Removes control characters (line breaks, escape sequences' leftovers) from input. */
export function cleanInput(input: string, allow?: RegExp): string {
  // eslint-disable-next-line no-control-regex
  const printable = input.replace(/[\u0000-\u001f\u007f]/g, '');
  return allow ? [...printable].filter((ch) => allow.test(ch)).join('') : printable;
}

/** What the field shows for a value: the value itself, or one `•` per character when masked. */
export function displayValue(value: string, mask: boolean): string {
  return mask ? '•'.repeat([...value].length) : value;
}

/** Renders the input with a block cursor when active. */
export function TextInput({ value, onEdit, onSubmit, isActive, mask = false, placeholder, allow, wrap = 'wrap' }: TextInputProps) {
  useInput(
    (input, key) => {
      if (key.return) return onSubmit();
      if (key.backspace || key.delete) return onEdit((v) => [...v].slice(0, -1).join(''));
      if (key.ctrl && input === 'u') return onEdit(() => '');
      if (key.ctrl || key.meta || key.escape || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
      if (key.pageUp || key.pageDown || key.home || key.end) return;
      const text = cleanInput(input, allow);
      if (text) onEdit((v) => v + text);
    },
    { isActive },
  );
  usePaste(
    (text) => {
      const clean = cleanInput(text, allow);
      if (clean) onEdit((v) => v + clean);
    },
    { isActive },
  );
  const shown = displayValue(value, mask);
  return (
    <Text wrap={wrap}>
      {shown === '' && placeholder && !isActive ? <Text dimColor>{placeholder}</Text> : shown}
      {isActive ? <Text inverse> </Text> : null}
    </Text>
  );
}
