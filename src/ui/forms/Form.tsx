/**
 * A step's form: the fields of `fields` shown for the current values (a field's `when`, evaluated
 * live as the person edits, hides it), prefilled with `values` (defaults), one focused at a
 * time. Enter checks the focused field and moves on; Enter on the last shown field submits.
 * Multi-select fields: Space toggles, Enter accepts, typed text adds a value not in the list.
 * Shift-Tab (or ↑ outside lists) goes back, Tab moves on. The engine's validation messages
 * (`errors`) and the form's own (a number that does not parse) show under their field; the
 * engine's message about the form as a whole (key `''`) shows above the fields.
 * Secret fields are masked with `•`; their values leave only through `onSubmit`.
 */
import { useRef, useState } from 'react';
import { Box, Text, useInput } from 'ink';
import type { Choice, DefaultsContext, InputField } from '../../engine/types.js';
import { isFieldShown } from '../../engine/types.js';
import { FormField, asList } from './FormField.js';

/** Props: `ctx` is what select fields' `choices(ctx)` may read (outputs of earlier steps). */
export interface FormProps {
  fields: InputField[];
  values: Record<string, unknown>;
  errors: Record<string, string>;
  ctx: DefaultsContext;
  onSubmit(values: Record<string, unknown>): void;
  isActive: boolean;
}

/** What the form holds per field while it is edited: text, a yes/no, or the chosen values of a multi-select. */
export type Draft = Record<string, string | boolean | string[]>;

function initialDraft(fields: InputField[], values: Record<string, unknown>, choicesOf: (f: InputField) => Choice[]): Draft {
  const d: Draft = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === 'confirm') d[f.key] = v === true;
    else if (f.kind === 'multiselect') d[f.key] = asList(v);
    else if (f.kind === 'select') d[f.key] = typeof v === 'string' ? v : (choicesOf(f)[0]?.value ?? '');
    else d[f.key] = v === undefined || v === null ? '' : String(v);
  }
  return d;
}

/**
 * Turns the draft into submitted values: numbers parsed, empty text/number/secret fields left out
 * (so schema defaults and "required" messages apply), multi-selects as string arrays (an empty
 * one kept: "none chosen" is an answer the schema judges). Returns the first field error instead
 * when a number does not parse.
 */
export function draftToValues(fields: InputField[], draft: Draft): { values: Record<string, unknown>; errors: Record<string, string> } {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const v = draft[f.key];
    if (typeof v === 'boolean') values[f.key] = v;
    else if (Array.isArray(v)) values[f.key] = [...v];
    else if (v === undefined || v === '') continue;
    else if (f.kind === 'number') {
      const n = Number(v);
      if (Number.isFinite(n)) values[f.key] = n;
      else errors[f.key] = `"${v}" is not a number`;
    } else values[f.key] = v;
  }
  return { values, errors };
}

/**
 * The values a field's `when` sees: `values` with the draft over them (a field left empty is
 * absent, as it would be when submitted).
 */
export function liveValues(fields: readonly InputField[], values: Record<string, unknown>, draft: Draft): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  const converted = draftToValues([...fields], draft).values;
  for (const f of fields) {
    if (f.key in converted) out[f.key] = converted[f.key];
    else delete out[f.key];
  }
  return out;
}

/** The fields shown for a draft: those whose `when` holds for its live values. */
export function shownFields(fields: readonly InputField[], values: Record<string, unknown>, draft: Draft): InputField[] {
  const live = liveValues(fields, values, draft);
  return fields.filter((f) => isFieldShown(f, live));
}

/** Renders the form. */
export function Form({ fields, values, errors, ctx, onSubmit, isActive }: FormProps) {
  const choicesOf = (f: InputField): Choice[] => (f.choices ? f.choices(ctx) : []);
  // Refs mirror the state so several key events between two renders see each other's effects.
  const [draft, setDraftState] = useState<Draft>(() => initialDraft(fields, values, choicesOf));
  const draftRef = useRef(draft);
  // The focused field, by key: fields appearing or disappearing above it do not move the focus.
  const [focusKey, setFocusState] = useState<string | undefined>(fields[0]?.key);
  const focusRef = useRef(focusKey);
  const [local, setLocal] = useState<Record<string, string>>({});

  const setDraft = (d: Draft) => {
    draftRef.current = d;
    setDraftState(d);
  };
  const setFocus = (key: string | undefined) => {
    focusRef.current = key;
    setFocusState(key);
  };
  /** The shown fields of the latest draft and the focused one's index among them (nearest shown when it was hidden). */
  const current = (): { shown: InputField[]; index: number } => {
    const shown = shownFields(fields, values, draftRef.current);
    const at = shown.findIndex((f) => f.key === focusRef.current);
    if (at >= 0) return { shown, index: at };
    const before = fields.findIndex((f) => f.key === focusRef.current);
    const next = shown.findIndex((f) => fields.indexOf(f) > before);
    return { shown, index: next >= 0 ? next : Math.max(0, shown.length - 1) };
  };
  const set = (key: string, v: string | boolean | string[]) => {
    setDraft({ ...draftRef.current, [key]: v });
    setLocal(({ [key]: _gone, ...rest }) => rest);
  };
  const submit = () => {
    const d = draftRef.current;
    const { shown } = current();
    const all = draftToValues(shown, d);
    const firstBad = shown.find((f) => all.errors[f.key]);
    if (firstBad) {
      setLocal(all.errors);
      setFocus(firstBad.key);
      return;
    }
    // Values that belong to no field (e.g. tolerations from the step's defaults) and those of
    // hidden fields go back as they came: the engine leaves the hidden ones out of validation,
    // and they return if the person switches back.
    const keys = new Set(fields.map((f) => f.key));
    const passThrough = Object.fromEntries(Object.entries(values).filter(([k]) => !keys.has(k)));
    const hidden = draftToValues(fields.filter((f) => !shown.includes(f)), d).values;
    onSubmit({ ...passThrough, ...hidden, ...all.values });
  };
  const next = () => {
    const d = draftRef.current;
    const { shown, index } = current();
    const focused = shown[index];
    const checked = draftToValues(shown.slice(0, index + 1), d);
    if (focused && checked.errors[focused.key]) {
      setLocal((l) => ({ ...l, [focused.key]: checked.errors[focused.key]! }));
      return;
    }
    if (index < shown.length - 1) setFocus(shown[index + 1]?.key);
    else submit();
  };

  useInput(
    (_input, key) => {
      const { shown, index } = current();
      if (shown.length === 0) {
        if (key.return) submit();
        return;
      }
      const listKind = shown[index]?.kind === 'select' || shown[index]?.kind === 'multiselect';
      if ((key.tab && key.shift) || (key.upArrow && !listKind)) setFocus(shown[Math.max(0, index - 1)]?.key);
      else if (key.tab) setFocus(shown[Math.min(shown.length - 1, index + 1)]?.key);
    },
    { isActive },
  );

  const shown = shownFields(fields, values, draft);
  const focusIndex = (() => {
    const at = shown.findIndex((f) => f.key === focusKey);
    return at >= 0 ? at : current().index;
  })();
  return (
    <Box flexDirection="column">
      {errors[''] ? <Text color="red">✖ {errors['']}</Text> : null}
      {shown.length === 0 ? <Text dimColor>Nothing to fill in: press Enter to go on.</Text> : null}
      {shown.map((field, i) => {
        // A select without choices (no facts found) is asked as text rather than left stuck.
        const f: InputField = field.kind === 'select' && choicesOf(field).length === 0 ? { ...field, kind: 'text' } : field;
        return (
          <FormField
            key={f.key}
            field={f}
            value={draft[f.key]}
            on={isActive && i === focusIndex}
            choices={choicesOf(f)}
            error={local[f.key] ?? errors[f.key]}
            onChange={(value) => set(f.key, value)}
            onEdit={(edit) => set(f.key, edit(String(draftRef.current[f.key] ?? '')))}
            onDone={next}
          />
        );
      })}
    </Box>
  );
}
