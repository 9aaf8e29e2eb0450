/**
 * One field of a step's form: its label and value on one line (the label keeps its width; a long
 * value wraps beside it while focused and is cut with "…" otherwise), the list of a focused select
 * or multi-select below, then its help (focused only) and its error. Widgets by kind: text,
 * number (digits only), secret (masked with •), confirm (y/n), select, multiselect.
 */
import { Box, Text } from 'ink';
import type { Choice, InputField } from '../../engine/types.js';
import { ConfirmInput } from './ConfirmInput.js';
import { MultiSelectInput } from './MultiSelectInput.js';
import { SelectInput } from './SelectInput.js';
import { TextInput } from './TextInput.js';

/** A multi-select's value as a list: an array as is, a string split at commas and spaces. */
export function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return v.split(/[\s,]+/).filter(Boolean);
  return [];
}

/**
 * Props: the field (a select without choices comes as kind `text`), its draft value, whether it is
 * focused, its choices, its error, `onChange` for a new value (text edits as a function of the
 * latest value) and `onDone` when Enter finishes it.
 */
export interface FormFieldProps {
  field: InputField;
  value: string | boolean | string[] | undefined;
  on: boolean;
  choices: Choice[];
  error?: string | undefined;
  onChange(value: string | boolean | string[]): void;
  onEdit(edit: (previous: string) => string): void;
  onDone(): void;
}

/** Renders one field. */
export function FormField({ field: f, value: v, on, choices, error, onChange, onEdit, onDone }: FormFieldProps) {
  const finish = (value: string | boolean | string[]) => {
    onChange(value);
    onDone();
  };
  const none = () => {};
  let inline;
  if (f.kind === 'confirm') {
    inline = (
      <>
        <Text>{v === true ? 'yes ' : 'no '}</Text>
        <ConfirmInput defaultValue={v === true} isActive={on} onSubmit={finish} />
      </>
    );
  } else if (f.kind === 'select') {
    inline = on ? null : <SelectInput choices={choices} value={String(v)} isActive={false} onChange={none} onSubmit={none} />;
  } else if (f.kind === 'multiselect') {
    inline = on ? (
      <Text dimColor wrap="truncate-end">
        {asList(v).length} chosen · Space toggles · Enter accepts
      </Text>
    ) : (
      <MultiSelectInput choices={choices} selected={asList(v)} isActive={false} onChange={none} onSubmit={none} />
    );
  } else {
    inline = (
      <TextInput
        value={String(v ?? '')}
        isActive={on}
        mask={f.kind === 'secret'}
        {...(f.kind === 'number' ? { allow: /[0-9.eE+-]/ } : {})}
        {...(f.kind === 'secret' && f.env ? { placeholder: `(or set ${f.env})` } : {})}
        onEdit={onEdit}
        onSubmit={onDone}
        wrap={on ? 'wrap' : 'truncate-end'}
      />
    );
  }
  return (
    <Box flexDirection="column">
      <Box>
        <Box flexShrink={0}>
          <Text color={on ? 'cyan' : undefined}>{on ? '› ' : '  '}</Text>
          <Text bold={on}>{f.label}: </Text>
        </Box>
        <Box flexShrink={1} flexGrow={1} flexBasis={0}>
          {inline}
        </Box>
      </Box>
      {on && f.kind === 'select' ? (
        <Box marginLeft={4}>
          <SelectInput choices={choices} value={String(v)} isActive onChange={onChange} onSubmit={finish} />
        </Box>
      ) : null}
      {on && f.kind === 'multiselect' ? (
        <Box marginLeft={4}>
          <MultiSelectInput choices={choices} selected={asList(v)} isActive onChange={onChange} onSubmit={finish} />
        </Box>
      ) : null}
      {on && f.help ? (
        <Box marginLeft={4}>
          <Text dimColor>{f.help}</Text>
        </Box>
      ) : null}
      {error ? (
        <Box marginLeft={4}>
          <Text color="red">✖ {error}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
