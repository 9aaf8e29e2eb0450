/**
 * What a run shows about saved progress before it starts: the resume screen's facts (the most
 * recent failed step, its last error, when, how many attempts) and, in line mode, one notice.
 */
import type { ProgressStore } from '../engine/progress.js';
import type { ResumeInfo } from './lazy.js';

/** The resume screen's facts: the most recent failed step with its last error. */
export function resumeInfo(progress: ProgressStore): ResumeInfo | undefined {
  const steps = Object.entries(progress.all().steps);
  if (steps.length === 0) return undefined;
  const failed = steps
    .filter(([, r]) => r.state === 'failed')
    .sort(([, a], [, b]) => b.updatedAt.localeCompare(a.updatedAt))[0];
  if (!failed) return {};
  const [step, rec] = failed;
  const last = [...rec.attempts].reverse().find((a) => a.error);
  return {
    failed: {
      step,
      error: last?.error?.message ?? 'failed',
      ...(last?.error?.fix ? { fix: last.error.fix } : {}),
      at: last?.endedAt ?? rec.updatedAt,
      attempts: rec.attempts.length,
    },
  };
}

/** In line mode: one notice saying the run resumes, with the failed step first. */
export function announceResume(progress: ProgressStore, notice: (m: string) => void): void {
  const info = resumeInfo(progress);
  if (!info) return;
  const done = Object.values(progress.all().steps).filter((r) => r.state === 'done').length;
  const f = info.failed;
  notice(
    `resuming profile ${progress.profile.name}: ${done} step${done === 1 ? '' : 's'} done` +
      (f ? `; ${f.step} failed at ${f.at} (attempt ${f.attempts}): ${f.error}${f.fix ? ` — fix: ${f.fix}` : ''}` : ''),
  );
}
