/**
 * Text renderings of a RunReport (report.ts): the Markdown file `report.md` (renderMarkdown,
 * writeReport) and the plain lines printed after the end-of-run summary in line mode
 * (reportLines). Both are deterministic: times come from the progress, never from the clock.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { styleText } from 'node:util';
import { formatDuration } from './hosts/format.js';
import type { CredentialLocation, ModelReport, RunReport, StageReport } from './report.js';

const RESULT_TITLE: Record<RunReport['result'], string> = {
  done: 'Models-as-a-Service is set up',
  failed: 'The setup stopped at a failed step',
  incomplete: 'The setup is not finished',
};

/** `| a | b |` with pipes and line breaks in cells escaped. */
function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')).join(' | ')} |`;
}

function table(head: string[], rows: string[][]): string[] {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)];
}

/** `code` in backticks (a cell or a sentence), backticks inside made harmless. */
function code(s: string): string {
  return `\`${s.replace(/`/g, "'")}\``;
}

/** How long a stage took, or a dash. */
function took(s: StageReport): string {
  return s.elapsedMs === undefined ? '—' : formatDuration(s.elapsedMs);
}

function modelTitle(m: ModelReport): string {
  return m.modelId ? `${m.short} (${m.modelId})` : m.short;
}

function modelMarkdown(m: ModelReport): string[] {
  const lines = [`### ${modelTitle(m)}`, ''];
  if (m.served === false) return [...lines, 'Not imported, so not served and not published (no gateway).', ''];
  const facts: [string, string | undefined][] = [
    ['Model name in requests', m.servedModelName && code(m.servedModelName)],
    ['API', m.api],
    ['Production gateway', m.productionUrl],
    ['Staging gateway', m.stagingUrl],
    ['Application plan', m.applicationPlan],
    ['In-cluster endpoint (3scale backend)', m.inClusterUrl],
    ['Policy chain', m.policyChain?.join(' → ')],
    ['Limits', m.limits?.map((l) => `${l.value} per ${l.period}`).join(', ')],
  ];
  const known = facts.filter((f): f is [string, string] => Boolean(f[1]));
  if (known.length === 0) lines.push('Not set up yet.');
  for (const [k, v] of known) lines.push(`- ${k}: ${v}`);
  if (m.curl) lines.push('', '```sh', ...m.curl, '```');
  return [...lines, ''];
}

function credentialWhere(c: CredentialLocation): string {
  return [c.where, c.url, c.note && `(${c.note})`].filter(Boolean).join(' ');
}

/**
 * The report as Markdown: result, URLs, one section per model (gateway, curl), where the
 * credentials are, the end-to-end check, time per stage, and the problems of a failed run.
 */
export function renderMarkdown(report: RunReport): string {
  const out: string[] = [`# maas-wizard report: ${RESULT_TITLE[report.result]}`, ''];
  out.push(`- Profile: ${report.profile.name}`);
  if (report.profile.server) out.push(`- Cluster: ${report.profile.server}`);
  out.push(`- Steps done: ${report.steps.done} of ${report.steps.total}`);
  if (report.asOf) out.push(`- As of: ${report.asOf}`);
  if (report.checks) out.push(`- End-to-end check: ${report.checks.passed} of ${report.checks.total} passed`);
  out.push('');
  if (report.problems.length > 0) {
    out.push('## Problems', '');
    for (const p of report.problems) {
      out.push(`- ${code(p.step)}${p.at ? ` (${p.at})` : ''}: ${p.message}`);
      if (p.fix) out.push(`  - fix: ${p.fix}`);
    }
    out.push('');
  }
  if (report.urls.length > 0) out.push('## URLs', '', ...table(['What', 'URL'], report.urls.map((u) => [u.label, u.url])), '');
  if (report.models.length > 0) {
    out.push('## Models', '');
    if (report.models.some((m) => m.curl)) {
      out.push('Every request needs an API key: sign in to the developer portal, create an application on the model\'s product, then `export API_KEY=<its key>`.', '');
    }
    for (const m of report.models) out.push(...modelMarkdown(m));
  }
  if (report.credentials.length > 0) {
    out.push('## Where the credentials are', '', 'Values stay in the cluster; this report holds only where they are.', '');
    out.push(...table(['Credential', 'Where', 'Keys', 'Read with'], report.credentials.map((c) => [c.what, credentialWhere(c), (c.keys ?? []).join(', '), c.command ? code(c.command) : ''])), '');
  }
  if (report.checks) {
    out.push('## End-to-end check', '', `${report.checks.passed} of ${report.checks.total} passed.`, '');
    out.push(...table(['', 'Check', 'Model', 'Expected', 'Got'], report.checks.list.map((c) => [c.ok ? 'ok' : 'FAILED', c.what, c.model ?? '', c.expected, c.got])), '');
    if (report.checks.keptAccount) out.push(`The throwaway developer account ${code(report.checks.keptAccount)} was kept.`, '');
  }
  out.push('## Time per stage', '', ...table(['Stage', 'State', 'Time', 'Attempts'], report.stages.map((s) => [s.title, s.state, took(s), String(s.attempts)])), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/**
 * Writes `renderMarkdown(report)` to `file` atomically (a temporary file in the same directory,
 * then a rename), creating the directory.
 * @throws the file system's error (e.g. EACCES) after removing the temporary file.
 */
export async function writeReport(report: RunReport, file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, renderMarkdown(report), 'utf8');
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Options of reportLines: `color` adds bold headings (pass false for NO_COLOR or no TTY). */
export interface ReportLinesOptions {
  color?: boolean;
}

/**
 * The report as plain lines for the end of a run in line mode, printed after summaryLines:
 * URLs, per model the gateway and curl, where the credentials are, the check count, time per
 * stage and the report file. No colour unless `options.color`.
 */
export function reportLines(report: RunReport, options: ReportLinesOptions = {}): string[] {
  const h = (s: string): string => (options.color ? styleText('bold', s, { validateStream: false }) : s);
  const lines: string[] = [];
  if (report.urls.length > 0) {
    lines.push(h('URLs:'));
    const w = Math.max(...report.urls.map((u) => u.label.length));
    for (const u of report.urls) lines.push(`  ${u.label.padEnd(w)}  ${u.url}`);
  }
  if (report.models.length > 0) lines.push(h('models:'));
  for (const m of report.models) {
    if (m.served === false) {
      lines.push(`  ${m.short}: not imported, not served`);
      continue;
    }
    const plan = m.applicationPlan ? `, plan ${m.applicationPlan}` : '';
    lines.push(`  ${m.short}${m.api ? ` (${m.api}${plan})` : ''}: ${m.productionUrl ?? 'no gateway yet'}`);
    if (m.curl) lines.push(...m.curl.map((l) => `    ${l}`));
  }
  if (report.credentials.length > 0) lines.push(h('credentials (in the cluster):'));
  for (const c of report.credentials) lines.push(`  ${c.what}: ${c.where}${c.keys?.length ? ` (${c.keys.join(', ')})` : ''}`);
  if (report.checks) lines.push(`${h('checks:')} ${report.checks.passed} of ${report.checks.total} passed`);
  const timed = report.stages.filter((s) => s.elapsedMs !== undefined);
  if (timed.length > 0) lines.push(`${h('time per stage:')} ${timed.map((s) => `${s.title} ${took(s)}`).join(' · ')}`);
  if (report.reportPath) lines.push(`${h('report:')} ${report.reportPath}`);
  return lines;
}
