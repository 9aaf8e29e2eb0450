/**
 * The 3scale stage (STAGES.md §7), install and base configuration: the 3scale operator, the
 * external databases (2.16+), the APIManager, and the tenant's sample data. The lead registers
 * `threescaleSteps()` in steps/index.ts.
 */
import type { Services } from '../../src/cluster/services.js';
import type { AnyStep } from '../../src/engine/types.js';
import { threescaleApiManagerStep } from './apimanager.js';
import { threescaleBaseStep } from './base.js';
import { threescaleDatabasesStep } from './databases.js';
import { threescaleOperatorStep } from './operator.js';

export type { ThreescaleBaseOutputs } from './base.js';
export type { ThreescaleApiManagerOutputs, ThreescaleDatabasesOutputs, ThreescaleOperatorOutputs } from './shared.js';
export { apiManagerOf } from './shared.js';

/** The steps of the 3scale install, in order (`threescale.operator` needs `preflight`). A fresh array each call. */
export function threescaleSteps(): AnyStep<Services>[] {
  return [threescaleOperatorStep, threescaleDatabasesStep, threescaleApiManagerStep, threescaleBaseStep];
}
