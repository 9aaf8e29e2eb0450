/**
 * `maas-wizard status`: every step of the profile with its state, when it started, how long it
 * took, a summary of its outputs and its last error — as a table, or with `--output json`
 * every detail (state, timings, outputs, attempts, last error, diagnosis, drift). A step recorded
 * done whose objects were found gone or changed on a later run, and not repaired yet, shows as
 * `drifted`. `--graph` adds the stages as a dependency graph. Reads the progress file only: no
 * cluster, no lock.
 */
import { EXIT } from '../../engine/errors.js';
import type { ProgressData, StepRecord } from '../../engine/progress-file.js';
import type { Attempt } from '../../engine/types.js';
import { configHome } from '../home.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../options.js';
import { progressFile, readProgress, resolveProfile } from '../profile.js';
import { formatDuration } from '../hosts/format.js';
import { graphLines } from '../../ui/graph.js';
import type { GraphState } from '../../ui/graph.js';
import type { Diagnosis } from '../../engine/types.js';

/** One step as `status --output json` prints it. Times are ISO-8601 strings, `tookMs` milliseconds. */
export interface StepStatus {
  step: string;
  stage?: string;
  title?: string;
  state: string;
  startedAt?: string;
  endedAt?: string;
  tookMs?: number;
  outputs: Record<string, unknown>;
  attempts: Attempt[];
  lastError?: Attempt['error'];
  /** The last failure's diagnosis (summary, fix, suggested inputs), while the step is not done. */
  diagnosis?: Diagnosis;
  /** When `state` is `drifted`: when it was found and the verify error. */
  drift?: { at: string; reason: string };
}

/** What status knows of a step besides the file: stage, title and needs (for the graph). */
interface StepMeta {
  id: string;
  stage: string;
  title: string;
  needs: string[];
}

/** Prints the status; returns the exit code (0; 2 for an unreadable file, via thrown UserError). */
export async function runStatus(opts: GlobalOptions, io: CliIo): Promise<number> {
  const home = configHome(io.env, io.cwd);
  const ref = await resolveProfile(opts, io);
  const file = progressFile(home, ref);
  const data = readProgress(file);
  const meta = await stepMeta();
  const rows = statusRows(data, meta);
  if (opts.output === 'json') {
    io.stdout.write(`${JSON.stringify({ profile: data?.profile ?? { name: ref.profile, server: ref.server }, file, wizardVersion: data?.wizardVersion, steps: rows })}\n`);
    return EXIT.ok;
  }
  io.stdout.write(`profile ${data?.profile.name ?? (ref.profile || ref.server || 'default')} (${file})\n`);
  if (!data) {
    io.stdout.write('no progress yet: run `maas-wizard` (or `maas-wizard --demo`) to start\n');
    return EXIT.ok;
  }
  io.stdout.write(renderTable(rows));
  const failed = rows.find((r) => r.state === 'failed');
  if (failed) {
    if (failed.diagnosis) {
      io.stdout.write(`\ndiagnosis of ${failed.step}: ${failed.diagnosis.summary}\nfix: ${failed.diagnosis.fix}\n`);
      const s = failed.diagnosis.suggestedInputs;
      if (s) io.stdout.write(`suggested inputs: ${Object.entries(s).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}\n`);
    }
    const suggestion = failed.diagnosis?.suggestedInputs ? ` (or \`maas-wizard retry ${failed.step} --accept-suggestion\` to take the suggested inputs)` : '';
    io.stdout.write(`\nnext: fix the error of ${failed.step}, then \`maas-wizard retry ${failed.step}\`${suggestion}\n`);
  }
  const drifted = rows.filter((r) => r.state === 'drifted');
  if (drifted.length > 0) {
    io.stdout.write(`drifted: ${drifted.map((r) => r.step).join(', ')} — their objects are gone or changed; \`maas-wizard plan\` shows the repair, the next run applies it after asking\n`);
  }
  if (opts.graph && meta.length > 0) {
    const states: Record<string, GraphState> = Object.fromEntries(rows.map((r) => [r.step, r.state as GraphState]));
    io.stdout.write(`\n${graphLines(meta, { states, width: io.stdout.columns ?? 80 }).join('\n')}\n`);
  }
  return EXIT.ok;
}

/** Stage and title of every known step, in wizard order; empty when the steps cannot be loaded. */
async function stepMeta(): Promise<StepMeta[]> {
  try {
    const { loadSteps } = await import('../lazy.js');
    return (await loadSteps()).map((s) => ({ id: s.id, stage: s.stage, title: s.title, needs: [...s.needs] }));
  } catch {
    return [];
  }
}

/** The rows of the status: known steps in wizard order, then any other recorded step. */
export function statusRows(data: ProgressData | undefined, meta: { id: string; stage: string; title: string }[]): StepStatus[] {
  const steps = data?.steps ?? {};
  const ids = [...meta.map((m) => m.id), ...Object.keys(steps).filter((id) => !meta.some((m) => m.id === id))];
  return ids.map((id) => {
    const m = meta.find((x) => x.id === id);
    return toStatus(id, steps[id], m);
  });
}

function toStatus(id: string, rec: StepRecord | undefined, meta?: { stage: string; title: string }): StepStatus {
  const attempts = rec?.attempts ?? [];
  const last = attempts[attempts.length - 1];
  const lastError = [...attempts].reverse().find((a) => a.error)?.error;
  const tookMs = last?.endedAt ? Date.parse(last.endedAt) - Date.parse(last.startedAt) : undefined;
  const drifted = rec?.drift !== undefined && rec.state !== 'done';
  return {
    step: id,
    ...(meta ? { stage: meta.stage, title: meta.title } : {}),
    state: drifted ? 'drifted' : (rec?.state ?? 'pending'),
    ...(last ? { startedAt: last.startedAt } : {}),
    ...(last?.endedAt ? { endedAt: last.endedAt } : {}),
    ...(tookMs !== undefined && Number.isFinite(tookMs) ? { tookMs } : {}),
    outputs: rec?.outputs ?? {},
    attempts,
    ...(lastError ? { lastError } : {}),
    ...(rec?.diagnosis && rec.state !== 'done' ? { diagnosis: rec.diagnosis } : {}),
    ...(drifted && rec?.drift ? { drift: rec.drift } : {}),
  };
}

/** Fixed-width table: step, stage, state, started, took, outputs, last error. */
export function renderTable(rows: StepStatus[]): string {
  const header = ['STEP', 'STAGE', 'STATE', 'STARTED', 'TOOK', 'OUTPUTS', 'LAST ERROR'];
  const cells = rows.map((r) => [
    r.step,
    r.stage ?? '-',
    r.state,
    r.startedAt ? r.startedAt.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') : '-',
    r.tookMs !== undefined ? formatDuration(r.tookMs) : '-',
    summarizeOutputs(r.outputs),
    r.drift ? clip(`drifted: ${r.drift.reason}`, 40) : r.lastError ? clip(r.lastError.message, 40) : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]): string => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return `${[line(header), ...cells.map(line)].join('\n')}\n`;
}

/** `namespace=llm-hosting, domain=apps.example.com` clipped to 40 characters; `-` when empty. */
export function summarizeOutputs(outputs: Record<string, unknown>): string {
  const parts = Object.entries(outputs)
    .filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    .map(([k, v]) => `${k}=${String(v)}`);
  const others = Object.keys(outputs).length - parts.length;
  const text = [...parts, ...(others > 0 ? [`+${others} more`] : [])].join(', ');
  return text ? clip(text, 40) : '-';
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
