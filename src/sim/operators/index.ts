/**
 * Every simulated operator of the cluster, in start order (SIMULATOR.md §2, src/sim/SPEC.md).
 */
import type { OperatorContext, SimOperator } from './context.js';
import { createJobOperator } from './jobs.js';
import type { JobOperator } from './jobs.js';
import { createKserveOperator } from './kserve.js';
import { createNotebookOperator } from './notebook.js';
import { createObcOperator } from './obc.js';
import { createOlmOperator } from './olm.js';
import { createPvcOperator } from './pvc.js';
import { createRhssoOperator } from './rhsso.js';
import { createStorageConfigOperator } from './storage-config.js';
import { createThreescaleOperator } from './threescale.js';
import { createWorkloadOperator } from './workloads.js';

export type { OperatorContext, OperatorFlags, SimBackends, SimOperator } from './context.js';
export type { JobOperator, JobRun } from './jobs.js';
export { ContainerExit } from './jobs.js';

/** The operators, created but not started, plus the Job controller (for `registerJobRunner`). */
export function createOperators(ctx: OperatorContext): { all: SimOperator[]; jobs: JobOperator } {
  const jobs = createJobOperator(ctx);
  const all: SimOperator[] = [
    createOlmOperator(ctx),
    createPvcOperator(ctx),
    createObcOperator(ctx),
    createStorageConfigOperator(ctx),
    createKserveOperator(ctx),
    createRhssoOperator(ctx),
    createThreescaleOperator(ctx),
    createWorkloadOperator(ctx),
    createNotebookOperator(ctx),
    jobs,
  ];
  return { all, jobs };
}
