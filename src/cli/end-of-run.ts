/**
 * What the wizard shows and writes when a run ends (issue "developer portal and the end-to-end
 * check", summary and report): the report of the profile (src/cli/report.ts) written as Markdown
 * next to the progress file, its lines before the run summary, and on a terminal the summary
 * screen until the person closes it.
 */
import { createElement } from 'react';
import type { ProgressStore } from '../engine/progress.js';
import type { StageId, StepId } from '../engine/types.js';
import type { CliIo } from './io.js';
import { buildReport, defaultReportPath } from './report.js';
import type { RunReport } from './report.js';
import { reportLines, writeReport } from './report-markdown.js';

/** Options of reportRun. */
export interface ReportRunOptions {
  progress: ProgressStore;
  steps: readonly { id: StepId; stage: StageId }[];
  /** Colour the headings (a terminal without NO_COLOR). */
  color: boolean;
  notice(message: string): void;
}

/**
 * Builds the report, writes it to `<profile dir>/report.md` (a failure to write is a notice, never
 * a failed run) and returns it with its lines for the end of the output.
 */
export async function reportRun(o: ReportRunOptions): Promise<{ report: RunReport; lines: string[] }> {
  const { stages } = await import('../../steps/index.js');
  const reportPath = defaultReportPath(o.progress.path);
  const report = buildReport({ progress: o.progress.all(), stages, steps: o.steps, reportPath });
  await writeReport(report, reportPath).catch((err: unknown) => o.notice(`could not write the report ${reportPath}: ${err instanceof Error ? err.message : String(err)}`));
  return { report, lines: reportLines(report, { color: o.color }) };
}

/**
 * Shows the summary screen (src/ui/components/SummaryScreen.tsx) on the terminal until q, Enter
 * or Esc, or until `signal` aborts.
 */
export async function showSummaryScreen(report: RunReport, io: CliIo, signal: AbortSignal): Promise<void> {
  const [{ render }, { SummaryScreen }, { colorlessStream }] = await Promise.all([import('ink'), import('../ui/components/SummaryScreen.js'), import('../ui/format.js')]);
  const stdout = io.env['NO_COLOR'] ? colorlessStream(io.stdout as unknown as NodeJS.WriteStream) : (io.stdout as unknown as NodeJS.WriteStream);
  let close!: () => void;
  const closed = new Promise<void>((r) => (close = r));
  const instance = render(createElement(SummaryScreen, { report, onClose: () => close() }), { stdin: io.stdin as NodeJS.ReadStream, stdout, exitOnCtrlC: false, patchConsole: false });
  signal.addEventListener('abort', () => close(), { once: true });
  try {
    await closed;
  } finally {
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
  }
}
