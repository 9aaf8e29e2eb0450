/**
 * The resume screen, shown on start when saved progress exists: the failed step first (its
 * error, fix, diagnosis, when it happened and how many attempts), then the choices
 * resume / review / start over (↑/↓, Enter).
 */
import { useState } from 'react';
import { Box, Text } from 'ink';
import type { ResumeChoice, ResumeInfo } from '../store.js';
import { SelectInput } from '../forms/SelectInput.js';

const CHOICES: { value: ResumeChoice; label: string; hint: string }[] = [
  { value: 'resume', label: 'Resume', hint: 'check what is done, go on where it stopped' },
  { value: 'review', label: 'Review', hint: 'show every step and its plan before going on' },
  { value: 'start-over', label: 'Start over', hint: 'forget the saved progress (the cluster is left as is)' },
];

/** Props: what was saved, and where the choice goes. */
export function ResumeScreen({ info, onChoose, isActive }: { info: ResumeInfo; onChoose(c: ResumeChoice): void; isActive: boolean }) {
  const [value, setValue] = useState<string>('resume');
  const f = info.failed;
  return (
    <Box flexDirection="column">
      <Text bold>Saved progress found for this profile.</Text>
      {f ? (
        <Box flexDirection="column" marginTop={1}>
          <Text color="red">
            ✖ {f.step} failed at {f.at} (attempt{f.attempts === 1 ? '' : 's'}: {f.attempts})
          </Text>
          <Text>{'  '}{f.error}</Text>
          {f.fix ? <Text color="yellow">{'  '}fix: {f.fix}</Text> : null}
          {f.diagnosis ? <Text color="red">{'  '}diagnosis: {f.diagnosis}</Text> : null}
        </Box>
      ) : (
        <Text dimColor>No step failed; the last run stopped before the end.</Text>
      )}
      <Box marginTop={1} flexDirection="column">
        <Text bold>What now?</Text>
        <SelectInput
          choices={CHOICES}
          value={value}
          onChange={setValue}
          onSubmit={(v) => onChoose(v as ResumeChoice)}
          isActive={isActive}
        />
      </Box>
    </Box>
  );
}
