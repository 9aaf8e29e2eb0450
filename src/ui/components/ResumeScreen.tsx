/**
 * The resume screen, shown on start when saved progress exists: the failed step first (its
 * error, fix, diagnosis with the suggested inputs, when it happened and how many attempts), the
 * steps found drifted, then the choices (↑/↓, Enter). With a failed step: retry / edit inputs
 * then retry / skip (naming the steps that will not run) / start over; without: resume / start over.
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { Choice } from '../../engine/types.js';
import type { ResumeDecision, ResumeInfo } from '../store.js';
import { SelectInput } from '../forms/SelectInput.js';

/** `maxModelLen = 11264, gpus = 1`: suggested inputs as the screen lists them. */
export function formatSuggestion(inputs: Record<string, unknown>): string {
  return Object.entries(inputs)
    .map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** The choices offered for `info`, the first one highlighted. */
export function resumeChoices(info: ResumeInfo): (Choice & { value: ResumeDecision })[] {
  const f = info.failed;
  const startOver = { value: 'start-over' as const, label: 'Start over', hint: 'forget the saved progress (the cluster is left as is)' };
  if (!f) return [{ value: 'resume', label: 'Resume', hint: 'check what is done, go on where it stopped' }, startOver];
  const others = info.otherFailed?.length ? ` (and ${info.otherFailed.length} other failed)` : '';
  const dependants = f.dependants ?? [];
  return [
    { value: 'retry', label: `Retry ${f.step}${others}`, hint: 'the same inputs; the steps done are only checked' },
    {
      value: 'edit',
      label: 'Edit inputs, then retry',
      hint: f.suggestedInputs ? `the form offers the suggestion: ${formatSuggestion(f.suggestedInputs)}` : 'the form comes back prefilled',
    },
    {
      value: 'skip',
      label: `Skip ${f.step}`,
      hint: dependants.length > 0 ? `will not run either: ${dependants.join(', ')}` : 'nothing else needs it',
    },
    startOver,
  ];
}

/** Props: what was saved, and where the decision goes. */
export function ResumeScreen({ info, onChoose, isActive }: { info: ResumeInfo; onChoose(c: ResumeDecision): void; isActive: boolean }) {
  const choices = resumeChoices(info);
  const [value, setValue] = useState<string>(choices[0]?.value ?? 'resume');
  const f = info.failed;
  const highlighted = choices.find((c) => c.value === value);
  return (
    <Box flexDirection="column">
      <Text bold>Saved progress found for this profile.</Text>
      {f ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red">
            ✖ {f.step} failed at {f.at} (attempt{f.attempts === 1 ? '' : 's'}: {f.attempts})
          </Text>
          <Text>
            {'  '}
            {f.error}
          </Text>
          {f.diagnosis && !f.error.includes(f.diagnosis) ? (
            <Text color="red">
              {'  '}diagnosis: {f.diagnosis}
            </Text>
          ) : null}
          {f.fix ? (
            <Text color="yellow">
              {'  '}fix: {f.fix}
            </Text>
          ) : null}
          {f.diagnosisFix && f.diagnosisFix !== f.fix ? (
            <Text color="yellow">
              {'  '}fix: {f.diagnosisFix}
            </Text>
          ) : null}
          {f.suggestedInputs ? (
            <Text color="cyan">
              {'  '}suggested input: {formatSuggestion(f.suggestedInputs)}
            </Text>
          ) : null}
          {info.otherFailed?.length ? <Text dimColor>{'  '}also failed: {info.otherFailed.join(', ')}</Text> : null}
        </Box>
      ) : (
        <Text dimColor>No step failed; the last run stopped before the end.</Text>
      )}
      {info.drifted?.length ? (
        <Box flexDirection="column" marginTop={1}>
          {info.drifted.map((d) => (
            <Text key={d.step} color="yellow" wrap="truncate-end">
              ! {d.step} drifted: {d.reason}
            </Text>
          ))}
          <Text dimColor>{'  '}repair: this run plans them again and shows the plan before applying it.</Text>
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Text bold>What now?</Text>
        <SelectInput choices={choices} value={value} onChange={setValue} onSubmit={(v) => onChoose(v as ResumeDecision)} isActive={isActive} />
        {highlighted?.value === 'skip' && f?.dependants?.length ? (
          <Text color="yellow">Skipping records {f.step} skipped; {f.dependants.length} step(s) that need it will not run.</Text>
        ) : null}
      </Box>
    </Box>
  );
}
