/**
 * The bottom of the step pane while the person is being asked something: the step's form,
 * "Apply this plan?", a question (confirm / select / text / secret text) or a manual
 * checkpoint ("press Enter when done"). Answers go back through `onAnswer`.
 */
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { DefaultsContext } from '../../engine/types.js';
import type { Interaction } from '../store.js';
import { ConfirmInput } from '../forms/ConfirmInput.js';
import { Form } from '../forms/Form.js';
import { SelectInput } from '../forms/SelectInput.js';
import { TextInput } from '../forms/TextInput.js';

/** Props: the interaction shown, what select fields may read, and where the answer goes. */
export interface InteractionViewProps {
  interaction: Interaction;
  ctx: DefaultsContext;
  onAnswer(id: number, value: unknown): void;
  isActive: boolean;
}

/** Renders the widget for one interaction; remount it per interaction (`key={interaction.id}`). */
export function InteractionView({ interaction: it, ctx, onAnswer, isActive }: InteractionViewProps) {
  const answer = (v: unknown) => onAnswer(it.id, v);
  if (it.kind === 'inputs') {
    return <Form fields={it.fields} values={it.values} errors={it.errors} ctx={ctx} isActive={isActive} onSubmit={answer} />;
  }
  if (it.kind === 'plan') {
    const writes = it.changes.filter((c) => c.action !== 'none').length;
    return (
      <Box>
        <Text bold color="magenta">
          Apply this plan ({writes} change{writes === 1 ? '' : 's'})?{' '}
        </Text>
        <ConfirmInput defaultValue={true} isActive={isActive} onSubmit={(yes) => answer(yes ? 'apply' : 'abort')} />
      </Box>
    );
  }
  const q = it.question;
  switch (q.kind) {
    case 'confirm':
      return (
        <Box>
          <Text bold>{q.message} </Text>
          <ConfirmInput defaultValue={q.default} isActive={isActive} onSubmit={answer} />
        </Box>
      );
    case 'select':
      return <SelectQuestion message={q.message} choices={q.choices} initial={q.default} isActive={isActive} onSubmit={answer} />;
    case 'text':
      return <TextQuestion message={q.message} initial={q.default ?? ''} secret={q.secret === true} isActive={isActive} onSubmit={answer} />;
    case 'checkpoint':
      return <Checkpoint isActive={isActive} onDone={() => answer(true)} />;
  }
}

function SelectQuestion(props: {
  message: string;
  choices: { value: string; label: string; hint?: string }[];
  initial: string;
  isActive: boolean;
  onSubmit(v: string): void;
}) {
  const [value, setValue] = useState(props.initial);
  return (
    <Box flexDirection="column">
      <Text bold>{props.message}</Text>
      <SelectInput choices={props.choices} value={value} onChange={setValue} onSubmit={props.onSubmit} isActive={props.isActive} />
    </Box>
  );
}

function TextQuestion(props: { message: string; initial: string; secret: boolean; isActive: boolean; onSubmit(v: string): void }) {
  const ref = useRef(props.initial);
  const [value, setValue] = useState(props.initial);
  return (
    <Box>
      <Text bold>{props.message} </Text>
      <TextInput
        value={value}
        mask={props.secret}
        isActive={props.isActive}
        onEdit={(edit) => {
          ref.current = edit(ref.current);
          setValue(ref.current);
        }}
        onSubmit={() => props.onSubmit(ref.current)}
      />
    </Box>
  );
}

function Checkpoint({ isActive, onDone }: { isActive: boolean; onDone(): void }) {
  useInput(
    (_input, key) => {
      if (key.return) onDone();
    },
    { isActive },
  );
  return (
    <Text bold color="magenta">
      Press Enter when this is done.
    </Text>
  );
}
