/**
 * Writes an export to a directory: one YAML file per manifest, `calls/` with one JSON payload per
 * API call that has a body, `Kustomization` (kustomize's file name without an extension, so that
 * `kubectl apply -f DIR`, which reads every `.yaml`, `.yml` and `.json`, does not take it for an object),
 * `README.md`, and `.maas-wizard-export`
 * (the files written, so that the next export into the same directory replaces exactly them).
 * A directory that holds other files and no such list is refused: nothing of a person's is deleted.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { UsageError } from '../report-error.js';
import type { UnplannedStep } from './collect.js';
import type { ExportEntry } from './entries.js';
import { readmeText } from './readme.js';
import type { ExportSource } from './readme.js';

/** Name of the list of files an export wrote (JSON, but without a `.json` name: `kubectl apply -f DIR` reads every `.json`). */
export const EXPORT_MARKER = '.maas-wizard-export';

/** The kustomization's file name: one of the three kustomize looks for, and the one `kubectl apply -f DIR` skips. */
export const KUSTOMIZATION = 'Kustomization';

/** What `writeExport` wrote: paths relative to the directory. */
export interface WrittenExport {
  files: string[];
}

/**
 * Writes `entries` into `dir` (created when absent); `inputs` (non-secret, by step) go in the README.
 * @throws UsageError (exit 2) when `dir` is a non-empty directory that was not written by an export.
 */
export async function writeExport(
  dir: string,
  entries: readonly ExportEntry[],
  unplanned: readonly UnplannedStep[],
  source: ExportSource,
  inputs: Readonly<Record<string, Record<string, unknown>>> = {},
): Promise<WrittenExport> {
  await prepareDir(dir);
  const files: string[] = [];
  const put = async (name: string, text: string): Promise<void> => {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text, 'utf8');
    files.push(name);
  };
  const resources: string[] = [];
  for (const e of entries) {
    if (e.kind === 'manifest') {
      await put(e.file, `# ${e.n}: ${e.target} (step ${e.step})\n${stringify(e.manifest, { lineWidth: 0 })}`);
      resources.push(e.file);
    } else if (e.kind === 'call' && e.file) {
      await put(e.file, `${JSON.stringify(e.call.body, null, 2)}\n`);
    }
  }
  if (resources.length > 0) {
    await put(KUSTOMIZATION, stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources }));
  }
  await put('README.md', readmeText(entries, unplanned, source, inputs));
  await writeFile(join(dir, EXPORT_MARKER), `${JSON.stringify({ files }, null, 2)}\n`, 'utf8');
  return { files };
}

/** Creates `dir`, or empties the files a previous export wrote there. */
async function prepareDir(dir: string): Promise<void> {
  if (!existsSync(dir)) {
    await mkdir(dir, { recursive: true });
    return;
  }
  const present = await readdir(dir).catch((err: unknown) => {
    throw new UsageError(`--out ${dir} is not a directory (${(err as { code?: string }).code ?? 'unreadable'})`, 'give a new or empty directory');
  });
  if (present.length === 0) return;
  if (!present.includes(EXPORT_MARKER)) {
    throw new UsageError(`--out ${dir} already holds files that no export wrote`, 'give a new or empty directory (an earlier export directory is replaced)');
  }
  const previous = JSON.parse(await readFile(join(dir, EXPORT_MARKER), 'utf8')) as { files?: unknown };
  const listed = Array.isArray(previous.files) ? previous.files.filter((f): f is string => typeof f === 'string' && !f.includes('..')) : [];
  for (const f of listed) await rm(join(dir, f), { force: true });
  // The calls folder goes when nothing else is in it.
  await rmdir(join(dir, 'calls')).catch(() => undefined);
}
