/**
 * A yes/no question: `y` answers yes, `n` answers no, Enter takes the default.
 * Shows `(Y/n)` or `(y/N)` after the message.
 */
import { Text, useInput } from 'ink';

/** Props: the default answer and the callback receiving the answer. */
export interface ConfirmInputProps {
  defaultValue: boolean;
  onSubmit(value: boolean): void;
  isActive: boolean;
}

/** Renders the `(Y/n)` hint; answers on y / n / Enter. */
export function ConfirmInput({ defaultValue, onSubmit, isActive }: ConfirmInputProps) {
  useInput(
    (input, key) => {
      if (key.return) return onSubmit(defaultValue);
      const c = input.toLowerCase();
      if (c === 'y') onSubmit(true);
      else if (c === 'n') onSubmit(false);
    },
    { isActive },
  );
  return <Text dimColor>{defaultValue ? '(Y/n)' : '(y/N)'}</Text>;
}
