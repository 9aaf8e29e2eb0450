/**
 * The storage stages (STAGES.md §2–3): object storage (ObjectBucketClaim or existing S3) and the
 * data connection. The lead registers them in steps/index.ts.
 */
import type { Services } from '../../src/cluster/services.js';
import type { AnyStep } from '../../src/engine/types.js';
import { dataConnectionStep } from './data-connection.js';
import { storageStep } from './step.js';

export { dataConnectionStep, CONNECTION_KEYS, CONNECTION_LABELS } from './data-connection.js';
export type { DataConnectionOutputs } from './data-connection.js';
export { storageStep } from './step.js';
export type { StorageOutputs } from './step.js';

/** The storage and data-connection steps, in order (a fresh array each call). */
export function storageSteps(): AnyStep<Services>[] {
  return [storageStep, dataConnectionStep];
}
