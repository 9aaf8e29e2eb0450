/**
 * Every step of the wizard, in stage order, and the stage metadata the UI shows (ARCHITECTURE.md
 * "The step contract": stages group steps in the UI). Later stages add their steps here.
 */
import type { Services } from '../src/cluster/services.js';
import type { AnyStep, StageId } from '../src/engine/types.js';
import { preflightStep } from './preflight.js';
import { entryFor, guideModels, loadCatalog } from './import/catalog.js';
import { importStepId, importSteps } from './import/index.js';
import { policiesSteps } from './policies/index.js';
import { portalSteps } from './portal/index.js';
import { projectStep } from './project.js';
import { servingSteps } from './serving/index.js';
import { ssoSteps } from './sso/index.js';
import { storageSteps } from './storage/index.js';
import { threescaleSteps } from './threescale/index.js';
import { verifyStep } from './verify/index.js';
import { productSteps } from './threescale/product.js';

/** A stage as the stage list shows it: `order` sorts the list (0 first). */
export interface StageInfo {
  id: StageId;
  title: string;
  order: number;
}

/** The stages of STAGES.md, §0 to §10. */
export const stages: readonly StageInfo[] = [
  { id: 'preflight', title: 'Preflight', order: 0 },
  { id: 'project', title: 'Project', order: 1 },
  { id: 'storage', title: 'Object storage', order: 2 },
  { id: 'data-connection', title: 'Data connection', order: 3 },
  { id: 'import', title: 'Model import', order: 4 },
  { id: 'serving', title: 'Serving', order: 5 },
  { id: 'sso', title: 'Single sign-on', order: 6 },
  { id: '3scale', title: '3scale', order: 7 },
  { id: 'policies', title: 'Policies', order: 8 },
  { id: 'portal', title: 'Developer portal', order: 9 },
  { id: 'verify', title: 'End-to-end check', order: 10 },
];

/**
 * Every step, as the engine runs them (a fresh array each call). The graph is fixed before any
 * input is asked, so the per-model steps (`import.<short name>`, `serving.<short name>`, ...) are
 * made for `options.models` (Hugging Face repo ids: chosen on the wizard's first screen or the
 * answers file's `import.models`), by default the catalog's guide models, which is also the
 * import step's default selection.
 */
export function allSteps(options: { models?: readonly string[] } = {}): AnyStep<Services>[] {
  const catalog = loadCatalog();
  const models = (options.models ?? guideModels(catalog)).map((id) => entryFor(id, catalog));
  return [preflightStep, projectStep, ...storageSteps(), ...importSteps({ catalog, models }), ...servingSteps(models, { importStep: importStepId }), ...ssoSteps(), ...threescaleSteps(),
    ...productSteps(models), ...policiesSteps(models), ...portalSteps(models), verifyStep(models)];
}
