/**
 * A step's form: every field of `fields` prefilled with `values` (defaults), one focused at a
 * time. Enter checks the focused field and moves on; Enter on the last field submits.
 * Shift-Tab (or ↑ outside lists) goes back, Tab moves on. The engine's validation messages
 * (`errors`) and the form's own (a number that does not parse) show under their field; the
 * engine's message about the form as a whole (key `''`) shows above the fields.
 * Secret fields are masked with `•`; their values leave only through `onSubmit`.
 */
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { Choice, DefaultsContext, InputField } from '../../engine/types.js';
import { ConfirmInput } from './ConfirmInput.js';
import { SelectInput } from './SelectInput.js';
import { TextInput } from './TextInput.js';

/** Props: `ctx` is what select fields' `choices(ctx)` may read (outputs of earlier steps). */
export interface FormProps {
  fields: InputField[];
  values: Record<string, unknown>;
  errors: Record<string, string>;
  ctx: DefaultsContext;
  onSubmit(values: Record<string, unknown>): void;
  isActive: boolean;
}

type Draft = Record<string, string | boolean>;

function initialDraft(fields: InputField[], values: Record<string, unknown>, choicesOf: (f: InputField) => Choice[]): Draft {
  const d: Draft = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === 'confirm') d[f.key] = v === true;
    else if (f.kind === 'select') d[f.key] = typeof v === 'string' ? v : (choicesOf(f)[0]?.value ?? '');
    else d[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return d;
}

/**
 * Turns the draft into submitted values: numbers parsed, empty text/number/secret fields left out
 * (so schema defaults and "required" messages apply). Returns the first field error instead when a
 * number does not parse.
 */
export function draftToValues(fields: InputField[], draft: Draft): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = draft[f.key];
    if (typeof v === 'boolean') values[f.key] = v;
    else if (v === undefined || v === '') continue;
    else if (f.kind === 'number') {
      const n = Number(v);
      if (Number.isFinite(n)) values[f.key] = n;
      else errors[f.key] = `"${v}" is not a number`;
    } else values[f.key] = v;
  }
  return { values, errors };
}

/** Renders the form. */
export function Form({ fields, values, errors, ctx, onSubmit, isActive }: FormProps) {
  const choicesOf = (f: InputField): Choice[] => (f.choices ? f.choices(ctx) : []);
  // Refs mirror the state so several key events between two renders see each other's effects.
  const [draft, setDraftState] = useState<Draft>(() => initialDraft(fields, values, choicesOf));
  const draftRef = useRef(draft);
  const [index, setIndexState] = useState(0);
  const indexRef = useRef(0);
  const [local, setLocal] = useState<Record<string, string>>({});

  const setDraft = (d: Draft) => {
    draftRef.current = d;
    setDraftState(d);
  };
  const setIndex = (i: number) => {
    indexRef.current = i;
    setIndexState(i);
  };
  const set = (key: string, v: string | boolean) => {
    setDraft({ ...draftRef.current, [key]: v });
    setLocal(({ [key]: _gone, ...rest }) => rest);
  };
  const next = () => {
    const d = draftRef.current;
    const index = indexRef.current;
    const focused = fields[index];
    const checked = draftToValues(fields.slice(0, index + 1), d);
    if (focused && checked.errors[focused.key]) {
      setLocal((l) => ({ ...l, [focused.key]: checked.errors[focused.key]! }));
      return;
    }
    if (index < fields.length - 1) setIndex(index + 1);
    else {
      const all = draftToValues(fields, d);
      const firstBad = fields.findIndex((f) => all.errors[f.key]);
      if (firstBad >= 0) {
        setLocal(all.errors);
        setIndex(firstBad);
      } else onSubmit(all.values);
    }
  };

  useInput(
    (_input, key) => {
      if (fields.length === 0) {
        if (key.return) onSubmit({});
        return;
      }
      const i = indexRef.current;
      if ((key.tab && key.shift) || (key.upArrow && fields[i]?.kind !== 'select')) setIndex(Math.max(0, i - 1));
      else if (key.tab) setIndex(Math.min(fields.length - 1, i + 1));
    },
    { isActive },
  );

  return (
    <Box flexDirection="column">
      {errors[''] ? <Text color="red">✖ {errors['']}</Text> : null}
      {fields.length === 0 ? <Text dimColor>Nothing to fill in: press Enter to go on.</Text> : null}
      {fields.map((field, i) => {
        // A select without choices (no facts found) is asked as text rather than left stuck.
        const f: InputField = field.kind === 'select' && choicesOf(field).length === 0 ? { ...field, kind: 'text' } : field;
        const on = isActive && i === index;
        const err = local[f.key] ?? errors[f.key];
        const v = draft[f.key];
        return (
          <Box key={f.key} flexDirection="column">
            <Box>
              <Text color={on ? 'cyan' : undefined}>{on ? '› ' : '  '}</Text>
              <Text bold={on}>{f.label}: </Text>
              {f.kind === 'confirm' ? (
                <>
                  <Text>{v === true ? 'yes ' : 'no '}</Text>
                  <ConfirmInput
                    defaultValue={v === true}
                    isActive={on}
                    onSubmit={(b) => {
                      set(f.key, b);
                      next();
                    }}
                  />
                </>
              ) : f.kind === 'select' ? (
                on ? null : (
                  <SelectInput choices={choicesOf(f)} value={String(v)} isActive={false} onChange={() => {}} onSubmit={() => {}} />
                )
              ) : (
                <TextInput
                  value={String(v ?? '')}
                  isActive={on}
                  mask={f.kind === 'secret'}
                  {...(f.kind === 'number' ? { allow: /[0-9.eE+-]/ } : {})}
                  {...(f.kind === 'secret' && f.env ? { placeholder: `(or set ${f.env})` } : {})}
                  onEdit={(edit) => set(f.key, edit(String(draftRef.current[f.key] ?? '')))}
                  onSubmit={next}
                />
              )}
            </Box>
            {f.kind === 'select' && on ? (
              <Box marginLeft={4}>
                <SelectInput
                  choices={choicesOf(f)}
                  value={String(v)}
                  isActive={on}
                  onChange={(s) => set(f.key, s)}
                  onSubmit={(s) => {
                    set(f.key, s);
                    next();
                  }}
                />
              </Box>
            ) : null}
            {on && f.help ? (
              <Box marginLeft={4}>
                <Text dimColor>{f.help}</Text>
              </Box>
            ) : null}
            {err ? (
              <Box marginLeft={4}>
                <Text color="red">✖ {err}</Text>
              </Box>
            ) : null}
          </Box>
        );
      })}
    </Box>
  );
}
