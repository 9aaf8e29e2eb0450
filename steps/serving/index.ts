/**
 * The serving stage (STAGES.md §5): one step per model, `serving.<short name>`. The lead registers
 * them in steps/index.ts.
 */
import type { Services } from '../../src/cluster/services.js';
import type { AnyStep } from '../../src/engine/types.js';
import type { ServingModel } from './inputs.js';
import { createServingStep } from './step.js';
import type { ServingStepOptions } from './step.js';

export { createServingStep } from './step.js';
export type { NotSelected, ServedModel, ServingOutputs, ServingStepOptions } from './step.js';
export type { ServingInputs, ServingModel } from './inputs.js';
export { processTemplate } from './template.js';
export { classifyFailure, fittingMaxModelLen } from './diagnose.js';

/**
 * The serving steps for the chosen models (catalog entries: steps/import `entryFor`), one per
 * model, each needing that model's import step (`options.importStep`: an id or a function of the
 * model, e.g. `(m) => \`import.${m.name}\``; default `import`).
 */
export function servingSteps(models: readonly ServingModel[], options: ServingStepOptions = {}): AnyStep<Services>[] {
  return models.map((m) => createServingStep(m, options));
}
