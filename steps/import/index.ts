/**
 * The model import stage (STAGES.md §4): the catalog, the `import` step (token, pre-check,
 * importer) and one `import.<name>` step per model sharing one concurrency cap. The lead
 * registers the steps in steps/index.ts.
 */
import pLimit from 'p-limit';
import type { LimitFunction } from 'p-limit';
import type { Services } from '../../src/cluster/services.js';
import type { AnyStep } from '../../src/engine/types.js';
import type { CatalogEntry } from './catalog.js';
import { guideModels, loadCatalog } from './catalog.js';
import { createModelImportStep } from './model.js';
import { createImportStep } from './prepare.js';

export { entryFor, loadCatalog, shortName } from './catalog.js';
export type { CatalogEntry } from './catalog.js';
export type { ImportSettings } from './context.js';
export { selectFiles } from './filter.js';
export { modelsField } from './inputs.js';
export { importStepId } from './model.js';
export type { ImportOutputs, ImportedModel } from './model.js';

/**
 * The import steps: `import`, then `import.<name>` for each of `models`.
 * @param options.catalog the model catalog (default: templates/models/catalog.yaml).
 * @param options.models catalog entries of the models this run imports (default: the guide's).
 * @throws BugError when the bundled catalog is missing or invalid.
 */
export function importSteps(options: { catalog?: readonly CatalogEntry[]; models?: readonly CatalogEntry[] } = {}): AnyStep<Services>[] {
  const catalog = options.catalog ?? loadCatalog();
  const models = options.models ?? catalog.filter((e) => guideModels(catalog).includes(e.id));
  // One cap for the run's per-model steps, sized by `import.concurrency` (from the `import` step's outputs).
  let shared: LimitFunction | undefined;
  const limiter = (concurrency: number): LimitFunction => {
    shared ??= pLimit(concurrency);
    shared.concurrency = concurrency;
    return shared;
  };
  const first = createImportStep(catalog, models.map((m) => m.id));
  const perModel = models.map((entry) => createModelImportStep(entry, limiter));
  return [first, ...perModel];
}
