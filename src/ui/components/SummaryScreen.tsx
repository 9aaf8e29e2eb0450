/**
 * The final summary screen (STAGES.md §10 "Final summary"): the result, then, scrollable, the
 * problems of a failed run, every URL, per model the gateway and a curl example, where the
 * credentials live, the end-to-end check and the time per stage; the report file's path stays
 * in view. Lines are wrapped to the width beforehand (summaryScreenLines), so the screen is the
 * same on every terminal of that width. Works at 80×24.
 */
import { Box, Text, useInput, useWindowSize } from 'ink';
import type { ModelReport, RunReport } from '../../cli/report.js';
import { formatDuration } from '../format.js';
import { ScrollBox } from './ScrollBox.js';

/** How a line is styled: headings bold cyan, ok green, bad red, dim grey; plain otherwise. */
export type SummaryTone = 'heading' | 'ok' | 'bad' | 'warn' | 'dim' | 'plain';

/** One screen line, already wrapped (at most the width given to summaryScreenLines). */
export interface SummaryLine {
  text: string;
  tone: SummaryTone;
}

/**
 * Splits `text` into lines of at most `width` columns: after the last space, `/`, `,`, `.` or `-`
 * that fits (in the second half of the line), else hard; continuation lines start with `indent`
 * spaces.
 */
export function wrapText(text: string, width: number, indent = 4): string[] {
  const out: string[] = [];
  let rest = [...text];
  const pad = ' '.repeat(Math.min(indent, Math.max(0, width - 10)));
  let first = true;
  while (rest.length > 0) {
    const room = first ? width : width - pad.length;
    if (rest.length <= room) {
      out.push((first ? '' : pad) + rest.join(''));
      break;
    }
    let cut = -1;
    for (let i = room; i > room / 2; i--) {
      const c = rest[i - 1];
      if (c !== undefined && ' /,.-'.includes(c)) {
        cut = i;
        break;
      }
    }
    if (cut < 0) cut = room;
    out.push((first ? '' : pad) + rest.slice(0, cut).join('').trimEnd());
    rest = rest.slice(cut);
    while (rest[0] === ' ') rest = rest.slice(1);
    first = false;
  }
  return out;
}

const TITLE: Record<RunReport['result'], string> = {
  done: '✔ Models-as-a-Service is set up',
  failed: '✖ The setup stopped at a failed step',
  incomplete: '■ The setup is not finished',
};

/** The line at the top: result, steps done and checks passed. */
export function summaryTitle(report: RunReport): SummaryLine {
  const checks = report.checks ? ` · checks ${report.checks.passed}/${report.checks.total} passed` : '';
  return { text: `${TITLE[report.result]} · ${report.steps.done}/${report.steps.total} steps${checks}`, tone: report.result === 'done' ? 'ok' : report.result === 'failed' ? 'bad' : 'warn' };
}

function modelHead(m: ModelReport): string {
  if (m.served === false) return `  ${m.short}: not imported, not served`;
  const bits = [m.api, m.applicationPlan && `plan ${m.applicationPlan}`].filter(Boolean).join(' · ');
  return `  ${m.short}${bits ? ` · ${bits}` : ''}${m.productionUrl ? '' : ' · no gateway yet'}`;
}

/**
 * The scrollable content of the summary screen, wrapped to `width` columns (80 on an 80×24
 * terminal): problems, URLs, models (gateway and curl), credentials, checks, time per stage.
 */
export function summaryScreenLines(report: RunReport, width: number): SummaryLine[] {
  const lines: SummaryLine[] = [];
  const add = (text: string, tone: SummaryTone = 'plain', indent = 4): void => {
    for (const t of wrapText(text, width, indent)) lines.push({ text: t, tone });
  };
  const gap = (): void => {
    if (lines.length > 0) lines.push({ text: '', tone: 'plain' });
  };
  if (report.problems.length > 0) {
    for (const p of report.problems) {
      add(`✖ ${p.step}: ${p.message}`, 'bad');
      if (p.fix) add(`  fix: ${p.fix}`, 'warn');
    }
  }
  if (report.urls.length > 0) {
    gap();
    add('URLs', 'heading');
    const w = Math.max(...report.urls.map((u) => u.label.length));
    for (const u of report.urls) {
      const one = `  ${u.label.padEnd(w)}  ${u.url}`;
      if ([...one].length <= width) add(one);
      else {
        add(`  ${u.label}`);
        add(`    ${u.url}`, 'plain', 4);
      }
    }
  }
  if (report.models.length > 0) {
    gap();
    add('Models (API key: developer portal → your application → export API_KEY=…)', 'heading');
    for (const m of report.models) {
      add(modelHead(m), m.served === false ? 'dim' : 'plain');
      // At column 0, so that `GW=<gateway>` fits 80 columns for usual domains (copyable as is).
      for (const l of m.curl ?? []) add(l, 'dim', 4);
    }
  }
  if (report.credentials.length > 0) {
    gap();
    add('Credentials (they stay in the cluster)', 'heading');
    for (const c of report.credentials) {
      add(`  ${c.what}: ${c.where}${c.keys?.length ? ` (${c.keys.join(', ')})` : ''}`);
    }
  }
  if (report.checks) {
    gap();
    add(`End-to-end check: ${report.checks.passed} of ${report.checks.total} passed`, report.checks.passed === report.checks.total ? 'ok' : 'bad');
    for (const c of report.checks.list.filter((x) => !x.ok)) add(`  ✖ ${c.model ? `${c.model}: ` : ''}${c.what}: expected ${c.expected}, got ${c.got}`, 'bad');
  }
  gap();
  add('Time per stage', 'heading');
  for (const s of report.stages) {
    const mark = s.state === 'done' ? '✔' : s.state === 'failed' ? '✖' : s.state === 'cancelled' ? '■' : '◌';
    const time = s.elapsedMs === undefined ? '—' : formatDuration(s.elapsedMs);
    add(`  ${mark} ${s.title.padEnd(18)} ${time.padStart(8)}  ${s.state === 'done' ? '' : s.state}`.trimEnd(), s.state === 'failed' ? 'bad' : s.state === 'done' ? 'plain' : 'dim');
  }
  return lines;
}

function Line({ line }: { line: SummaryLine }) {
  const t = line.text === '' ? ' ' : line.text;
  switch (line.tone) {
    case 'heading':
      return <Text bold color="cyan" wrap="truncate-end">{t}</Text>;
    case 'ok':
      return <Text color="green" wrap="truncate-end">{t}</Text>;
    case 'bad':
      return <Text color="red" wrap="truncate-end">{t}</Text>;
    case 'warn':
      return <Text color="yellow" wrap="truncate-end">{t}</Text>;
    case 'dim':
      return <Text dimColor wrap="truncate-end">{t}</Text>;
    default:
      return <Text wrap="truncate-end">{t}</Text>;
  }
}

/**
 * Props. `columns`/`rows` override the terminal size (tests, snapshots); `onClose` runs on q,
 * Enter or Esc; `isActive` (default true) gives it the keyboard.
 */
export interface SummaryScreenProps {
  report: RunReport;
  columns?: number;
  rows?: number;
  isActive?: boolean;
  onClose?(): void;
}

/** The summary screen: title, report path, scrollable content, key hints. */
export function SummaryScreen({ report, columns, rows, isActive = true, onClose }: SummaryScreenProps) {
  const size = useWindowSize();
  const width = Math.max(40, columns ?? size.columns ?? 80);
  const height = Math.max(8, (rows ?? size.rows ?? 24) - 1);
  useInput(
    (input, key) => {
      if (input === 'q' || key.return || key.escape) onClose?.();
    },
    { isActive },
  );
  const title = summaryTitle(report);
  const lines = summaryScreenLines(report, width);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box flexShrink={0} flexDirection="column">
        <Line line={{ text: wrapText(title.text, width)[0] ?? '', tone: title.tone }} />
        {report.reportPath ? <Line line={{ text: `report: ${report.reportPath}`, tone: 'dim' }} /> : null}
        <Text dimColor>{'─'.repeat(width)}</Text>
      </Box>
      <ScrollBox active={isActive} arrows={isActive}>
        {lines.map((l, i) => (
          <Line key={i} line={l} />
        ))}
      </ScrollBox>
      <Box flexShrink={0}>
        <Text dimColor wrap="truncate-end">↑/↓ PgUp/PgDn scroll · q/Enter close · the full text is in the report file</Text>
      </Box>
    </Box>
  );
}
