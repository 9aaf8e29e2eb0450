/**
 * What a run shows and does about saved progress before it starts: the resume screen's facts
 * (the most recent failed step, its last error, its diagnosis and suggested inputs, when, how
 * many attempts, what needs it; the other failed steps; the drifted ones), the notice of line
 * mode, the suggested inputs of `--accept-suggestion`, and how a resume decision turns into
 * engine options.
 */
import { UserError } from '../engine/errors.js';
import { dependantsOf } from '../engine/graph.js';
import type { GraphNode } from '../engine/graph.js';
import type { ProgressStore, StepRecord } from '../engine/progress.js';
import type { StepId } from '../engine/types.js';
import type { ResumeDecision, ResumeInfo } from '../ui/store.js';

/** Failed steps of the progress, most recent first. */
function failedSteps(progress: ProgressStore): [StepId, StepRecord][] {
  return Object.entries(progress.all().steps)
    .filter(([, r]) => r.state === 'failed')
    .sort(([, a], [, b]) => b.updatedAt.localeCompare(a.updatedAt));
}

/**
 * The resume screen's facts: the most recent failed step with its last error and diagnosis, the
 * steps that need it (`steps`: the wizard's graph; none when absent), the other failed steps and
 * the drifted ones. Undefined when nothing is saved.
 */
export function resumeInfo(progress: ProgressStore, steps: readonly GraphNode[] = []): ResumeInfo | undefined {
  const all = Object.entries(progress.all().steps);
  if (all.length === 0) return undefined;
  const drifted = all
    .filter(([, r]) => r.drift && r.state !== 'done')
    .map(([step, r]) => ({ step, reason: r.drift?.reason ?? '', at: r.drift?.at ?? r.updatedAt }));
  const extra: ResumeInfo = drifted.length > 0 ? { drifted } : {};
  const [first, ...others] = failedSteps(progress);
  if (!first) return extra;
  const [step, rec] = first;
  const last = [...rec.attempts].reverse().find((a) => a.error);
  const d = rec.diagnosis;
  const dependants = steps.some((s) => s.id === step) ? dependantsOf(steps, step) : [];
  return {
    ...extra,
    failed: {
      step,
      error: last?.error?.message ?? 'failed',
      ...(last?.error?.fix ? { fix: last.error.fix } : {}),
      at: last?.endedAt ?? rec.updatedAt,
      attempts: rec.attempts.length,
      ...(d ? { diagnosis: d.summary, diagnosisFix: d.fix } : {}),
      ...(d?.suggestedInputs && Object.keys(d.suggestedInputs).length > 0 ? { suggestedInputs: d.suggestedInputs } : {}),
      dependants,
    },
    ...(others.length > 0 ? { otherFailed: others.map(([id]) => id) } : {}),
  };
}

/** In line mode: one notice saying the run resumes, with the failed step first (and drifted steps). */
export function announceResume(progress: ProgressStore, notice: (m: string) => void): void {
  const info = resumeInfo(progress);
  if (!info) return;
  const done = Object.values(progress.all().steps).filter((r) => r.state === 'done').length;
  const f = info.failed;
  notice(
    `resuming profile ${progress.profile.name}: ${done} step${done === 1 ? '' : 's'} done` +
      (f ? `; ${f.step} failed at ${f.at} (attempt ${f.attempts}): ${f.error}${f.fix ? ` — fix: ${f.fix}` : ''}` : ''),
  );
  for (const d of info.drifted ?? []) notice(`${d.step} drifted (${d.reason}): this run plans its repair`);
}

/**
 * The diagnosis' suggested inputs of every failed step (or only of `only`), for
 * `--accept-suggestion`: step id → inputs.
 * @throws UserError `suggestion.none` (usage) when no such step has a suggestion recorded.
 */
export function recordedSuggestions(progress: ProgressStore, only?: StepId): Record<StepId, Record<string, unknown>> {
  const out: Record<StepId, Record<string, unknown>> = {};
  for (const [id, rec] of failedSteps(progress)) {
    if (only !== undefined && id !== only) continue;
    const s = rec.diagnosis?.suggestedInputs;
    if (s && Object.keys(s).length > 0) out[id] = s;
  }
  if (Object.keys(out).length === 0) {
    throw new UserError(
      'suggestion.none',
      `--accept-suggestion: ${only ? `no suggested inputs are recorded for ${only}` : 'no failed step has suggested inputs recorded'}`,
      { usage: true, fix: 'see `maas-wizard status` for the last error; set the inputs in an answers file (--answers) instead' },
    );
  }
  return out;
}

/** `answers` with `suggestions` merged over it, step by step (suggestions win). */
export function withSuggestions(
  answers: Record<StepId, Record<string, unknown>> | undefined,
  suggestions: Record<StepId, Record<string, unknown>>,
): Record<StepId, Record<string, unknown>> {
  const out: Record<StepId, Record<string, unknown>> = { ...(answers ?? {}) };
  for (const [id, values] of Object.entries(suggestions)) out[id] = { ...(out[id] ?? {}), ...values };
  return out;
}

/** What a resume decision changes in the run: steps to skip, failed steps retried without their form, suggestions to prefill. */
export interface ResumePlan {
  skip?: StepId[];
  keepInputs?: StepId[];
  suggestions?: Record<StepId, Record<string, unknown>>;
  /** Forget every step and saved input first. */
  startOver?: boolean;
}

/** The engine options of a resume decision (ui/store.ts `ResumeDecision`) for the saved `progress`. */
export function resumePlan(decision: ResumeDecision, progress: ProgressStore, info: ResumeInfo | undefined): ResumePlan {
  const failed = failedSteps(progress).map(([id]) => id);
  switch (decision) {
    case 'start-over':
      return { startOver: true };
    case 'retry':
      return { keepInputs: failed };
    case 'skip':
      return info?.failed ? { skip: [info.failed.step], keepInputs: failed.filter((id) => id !== info.failed?.step) } : {};
    case 'edit': {
      const suggestions: Record<StepId, Record<string, unknown>> = {};
      for (const [id, rec] of failedSteps(progress)) {
        const s = rec.diagnosis?.suggestedInputs;
        if (s && Object.keys(s).length > 0) suggestions[id] = s;
      }
      return Object.keys(suggestions).length > 0 ? { suggestions } : {};
    }
    case 'resume':
      return {};
  }
}
