/**
 * What the step pane shows about one step, top to bottom: the error with its fix and
 * diagnosis (failed steps), what the step does and why (`step.explain`), what it is waiting
 * for, progress bars per item, the plan (manifests as YAML, API calls as `METHOD path` + body),
 * the result (outputs), and the equivalent commands. Rendered inside a ScrollBox.
 */
import { Box, Text } from 'ink';
import type { Change, Diagnosis, Explanation } from '../../engine/types.js';
import type { ItemProgress, StepView } from '../model.js';
import { formatBytes, formatDuration, formatRate, planLines, progressBar } from '../format.js';
import { Spinner } from './symbols.js';

/**
 * Props: the step, its explanation if known, the plan to show (defaults to the step's), width in
 * columns, and how much of the explanation to show: `full` (what, why, equivalent commands; the
 * default, and what `--explain` asks for) or `what` (one paragraph, with a hint to press `e`).
 */
export interface StepDetailsProps {
  step: StepView;
  explain?: Explanation;
  plan?: Change[];
  width: number;
  explainMode?: 'full' | 'what';
}

/** Renders the step's details as a column of lines. */
export function StepDetails({ step, explain, plan, width, explainMode = 'full' }: StepDetailsProps) {
  const changes = plan ?? step.plan;
  const full = explainMode === 'full';
  return (
    <Box flexDirection="column" width={width}>
      {step.error ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text color="red">✖ {step.error.message}</Text>
          {step.error.fix ? <Text color="yellow">fix: {step.error.fix}</Text> : null}
          {step.diagnosis ? <DiagnosisLines diagnosis={step.diagnosis} error={step.error} /> : null}
        </Box>
      ) : null}
      {step.drift !== undefined ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text color="yellow">! drifted: {step.drift}</Text>
          <Text dimColor>The step was done, but its objects are gone or changed: the plan below repairs it.</Text>
        </Box>
      ) : null}
      {explain ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text>{explain.what}</Text>
          {full ? <Text dimColor>Why: {explain.why}</Text> : <Text dimColor>(e: why, and the commands to do it by hand)</Text>}
        </Box>
      ) : null}
      {step.wait ? (
        <Box marginBottom={1} flexDirection="column">
          <Text>
            <Spinner /> waiting for {step.wait.what}:
          </Text>
          <Text color="yellow">{'  '}currently {step.wait.currently}</Text>
        </Box>
      ) : null}
      {step.progress.length > 0 ? (
        <Box flexDirection="column" marginBottom={1}>
          {step.progress.map((p) => (
            <ProgressLine key={p.item} p={p} width={width} />
          ))}
        </Box>
      ) : null}
      {changes ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text bold>Plan</Text>
          {planLines(changes).map((l, i) => (
            <Text key={i} bold={l.role === 'heading'} dimColor={l.role === 'note'}>
              {l.text}
            </Text>
          ))}
        </Box>
      ) : null}
      {step.outputs && Object.keys(step.outputs).length > 0 ? (
        <Box flexDirection="column" marginBottom={1}>
          <Text bold>Result</Text>
          {Object.entries(step.outputs).map(([k, v]) => (
            <Text key={k}>
              {'  '}
              {k}: <Text color="green">{typeof v === 'string' ? v : JSON.stringify(v)}</Text>
            </Text>
          ))}
        </Box>
      ) : null}
      {full && explain && explain.commands.length > 0 ? (
        <Box flexDirection="column">
          <Text dimColor>Equivalent commands</Text>
          {explain.commands.map((c, i) => (
            <Text key={i} dimColor>
              {'  $ '}
              {c}
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

/**
 * The diagnosis under the error: its summary and fix, each left out when the error already says
 * it word for word (a step error that carries its finding), then the input changes that repair
 * it (`suggestedInputs`, e.g. `maxModelLen = 11264`).
 */
function DiagnosisLines({ diagnosis, error }: { diagnosis: Diagnosis; error: { message: string; fix?: string } }) {
  const sameSummary = error.message.includes(diagnosis.summary);
  const sameFix = error.fix === diagnosis.fix;
  const repair = Object.entries(diagnosis.suggestedInputs ?? {});
  return (
    <>
      {sameSummary ? null : <Text color="red">diagnosis: {diagnosis.summary}</Text>}
      {sameFix ? null : <Text color="yellow">fix: {diagnosis.fix}</Text>}
      {repair.length > 0 ? (
        <Text color="cyan">
          suggested input: {repair.map(([k, v]) => `${k} = ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ')}
        </Text>
      ) : null}
    </>
  );
}

/** One progress item: its name and message, then a bar with percent, bytes, rate and time left. */
function ProgressLine({ p, width }: { p: ItemProgress; width: number }) {
  const pct = p.fraction === undefined ? '' : ` ${Math.round(p.fraction * 100)}%`;
  const bytes =
    p.bytesDone !== undefined ? ` ${formatBytes(p.bytesDone)}${p.bytesTotal !== undefined ? ` / ${formatBytes(p.bytesTotal)}` : ''}` : '';
  const rate = p.bytesPerSecond ? ` ${formatRate(p.bytesPerSecond)}` : '';
  const left = p.secondsLeft !== undefined ? ` ${formatDuration(p.secondsLeft * 1000)} left` : '';
  const barWidth = Math.max(10, Math.min(30, width - 8));
  return (
    <Box flexDirection="column">
      {p.item || p.message ? (
        <Text wrap="truncate-end">
          {p.item ? <Text bold>{p.item}</Text> : null}
          {p.item && p.message ? ' ' : ''}
          {p.message ? <Text dimColor>{p.message}</Text> : null}
        </Text>
      ) : null}
      {p.fraction !== undefined ? (
        <Text wrap="truncate-end">
          <Text color="cyan">{progressBar(p.fraction, barWidth)}</Text>
          {pct}
        </Text>
      ) : null}
      {bytes || rate || left ? (
        <Text dimColor wrap="truncate-end">
          {' '}
          {bytes}
          {rate}
          {left}
        </Text>
      ) : null}
    </Box>
  );
}
