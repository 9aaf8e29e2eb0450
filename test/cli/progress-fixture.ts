/** Hand-made progress files (schema version 1, src/engine/progress-file.ts) for status and reset tests. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A profile where preflight is done and project failed twice (the last time at 10:02:03). */
export function sampleProgress(profile = 'lab'): object {
  return {
    schemaVersion: 1,
    wizardVersion: '0.1.0',
    profile: { name: profile, server: 'https://api.lab.example.com:6443' },
    inputs: { project: { namespace: 'llm-hosting' } },
    steps: {
      preflight: {
        state: 'done',
        outputs: { domain: 'apps.lab.example.com', isOpenShift: true, checks: [{ id: 'x' }] },
        attempts: [{ startedAt: '2026-01-05T10:00:00.000Z', endedAt: '2026-01-05T10:00:04.500Z', state: 'done' }],
        updatedAt: '2026-01-05T10:00:04.500Z',
      },
      project: {
        state: 'failed',
        attempts: [
          { startedAt: '2026-01-05T10:00:05.000Z', endedAt: '2026-01-05T10:00:06.000Z', state: 'failed', error: { code: 'rbac.denied', message: 'cannot create projectrequests', fix: 'ask a cluster admin' } },
          { startedAt: '2026-01-05T10:02:00.000Z', endedAt: '2026-01-05T10:02:03.000Z', state: 'failed', error: { code: 'rbac.denied', message: 'still cannot create projectrequests', fix: 'ask a cluster admin', phase: 'apply' } },
        ],
        updatedAt: '2026-01-05T10:02:03.000Z',
      },
    },
  };
}

/** Writes `data` as the progress file of `slug` under `home`; returns its path. */
export function writeProgress(home: string, slug: string, data: object): string {
  const dir = join(home, 'profiles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${slug}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

/** The parsed content of a progress file. */
export function readJson(file: string): { steps: Record<string, unknown>; inputs: Record<string, unknown> } {
  return JSON.parse(readFileSync(file, 'utf8')) as { steps: Record<string, unknown>; inputs: Record<string, unknown> };
}
