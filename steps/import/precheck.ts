/**
 * The pre-check of one model before anything is copied (STAGES.md §4, FIELD-CASES C4): model
 * info, file list, the filter and its total size, and ONE small download (`Range: bytes=0-0` of
 * the smallest selected file) that tells apart 401 (no or bad token), 403 gated (licence not
 * accepted) and 403 fine-grained (token without gated read). Auth errors are not retried.
 */
import type { HubClient, HubFile, HubModelInfo } from '../../src/cluster/huggingface.js';
import { UserError } from '../../src/engine/errors.js';
import type { CatalogEntry } from './catalog.js';
import { selectFiles, smallestFile } from './filter.js';
import type { FileSelection } from './filter.js';

/** What the pre-check found for one model. */
export interface CheckedModel {
  entry: CatalogEntry;
  info: HubModelInfo;
  selection: FileSelection;
}

/**
 * Checks one model.
 * @throws UserError `hf.*` from the Hub adapter (C4 messages), `import.no-files` when the filter leaves nothing.
 */
export async function precheckModel(hub: HubClient, entry: CatalogEntry): Promise<CheckedModel> {
  const info = await hub.modelInfo(entry.id);
  const all: HubFile[] = await hub.listFiles(entry.id);
  const selection = selectFiles(all, entry.files.exclude);
  const probe = smallestFile(selection.files);
  if (!probe) {
    throw new UserError('import.no-files', `${entry.id} has no files to copy after the filter (${all.length} files in the repo)`, {
      fix: 'check the repo id, or the catalog entry\'s files.exclude',
    });
  }
  await hub.checkDownload(entry.id, probe.path);
  return { entry, info, selection };
}

/** Bytes as a person reads them (binary units, one decimal). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i] ?? 'B'}`;
}
