/**
 * The model import stage (STAGES.md §4): the catalog and the import step. The lead registers the
 * steps in steps/index.ts.
 */
import type { Services } from '../../src/cluster/services.js';
import type { AnyStep } from '../../src/engine/types.js';
import type { CatalogEntry } from './catalog.js';
import { loadCatalog } from './catalog.js';
import { createImportStep } from './step.js';

export { entryFor, loadCatalog, shortName } from './catalog.js';
export type { CatalogEntry } from './catalog.js';
export { selectFiles } from './filter.js';
export type { ImportOutputs, ImportedModel } from './step.js';

/**
 * The import steps (one step, `import`, handling every chosen model with a concurrency cap).
 * @param options.catalog the model catalog (default: templates/models/catalog.yaml).
 * @throws BugError when the bundled catalog is missing or invalid.
 */
export function importSteps(options: { catalog?: readonly CatalogEntry[] } = {}): AnyStep<Services>[] {
  return [createImportStep(options.catalog ?? loadCatalog())];
}
