/**
 * The teardown contract (`maas-wizard destroy`, issue #9 item 4): for each step, what it would
 * delete (`describe`, no cluster access, shown in the plan before anything happens) and how
 * (`run`, reports one outcome per item). Steps that have their own `Step.destroy` keep it: the
 * teardown's `afterOwn` then reports and finishes what that destroy leaves (e.g. a ServingRuntime).
 *
 * Every deletion is idempotent: what is already gone is reported `gone`, never an error.
 */
import type { Services } from '../../src/cluster/services.js';
import type { StepContext, StepId } from '../../src/engine/types.js';

/**
 * Items that are deleted only when a person agrees: `operator` (Subscription, CSV, OperatorGroup:
 * asked on a terminal, agreed by `--yes`), `namespace` (asked on a terminal, or
 * `--delete-namespaces`; `--yes` alone never deletes a namespace).
 */
export type TeardownAsk = 'operator' | 'namespace';

/** One thing a teardown would delete, as the plan shows it. */
export interface TeardownItem {
  /** Stable key of the item within its step (`namespace`, `subscription`), for the person's answers. */
  key: string;
  /** What a person reads: `Namespace llm-hosting`, `product mistral_7b_instruct (3scale)`. */
  what: string;
  /** Deleted only when agreed (see TeardownAsk). */
  ask?: TeardownAsk;
  /** Kept whatever is answered, with the reason (e.g. `the bucket's data: add --delete-data`). */
  keep?: string;
}

/** What happened to one item. `updated`: changed rather than deleted (e.g. an SSO integration unpublished). */
export interface TeardownOutcome {
  what: string;
  result: 'deleted' | 'gone' | 'kept' | 'updated';
  /** Why it was kept or how it was changed. */
  why?: string;
}

/** Options of the whole teardown, from the command line. */
export interface TeardownOptions {
  /** `--delete-data`: the bucket's objects and the ObjectBucketClaim (which deletes the bucket) go too. */
  deleteData: boolean;
}

/**
 * What a teardown function receives: the step's context (inputs resolved from the progress file,
 * `outputs(id)` reading what the progress file recorded) plus the teardown options.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TeardownContext<I = any> = StepContext<I, Services> & {
  options: TeardownOptions;
  /** Saved non-secret inputs of another step (progress file), if any. */
  inputsOf(id: StepId): Readonly<Record<string, unknown>> | undefined;
  /**
   * For an asked item (`ask` set): undefined when the person agreed (or the flags did), else why it
   * is kept (`not agreed`, `namespaces are deleted only when asked or with --delete-namespaces`).
   * Undefined for any other key.
   */
  keptBecause(key: string): string | undefined;
};

/** The teardown of one step (or of every step whose id starts with a prefix, e.g. `serving.`). */
export interface Teardown {
  /** A sentence for the plan and the output line when the step keeps or has nothing of its own (no cluster access). */
  note?(ctx: TeardownContext): string | undefined;
  /** What `run` would delete, in order; no cluster access. */
  describe(ctx: TeardownContext): TeardownItem[];
  /**
   * Deletes the items (those with `ask` only when `ctx.keptBecause(key)` is undefined; never those with `keep`),
   * calling `report` once per item.
   * @throws whatever the cluster adapters throw (mapped kube / 3scale / Keycloak errors).
   */
  run(ctx: TeardownContext, report: (o: TeardownOutcome) => void): Promise<void>;
  /**
   * For steps with their own `destroy`: called after it, reports what it deleted and deletes what
   * it left. Absent: the runner reports the step's own destroy as one `deleted` line.
   */
  afterOwn?(ctx: TeardownContext, report: (o: TeardownOutcome) => void): Promise<void>;
}
