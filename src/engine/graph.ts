/**
 * The step graph as data (ARCHITECTURE.md "Engine"): checks, order and reachability.
 * Nodes are steps, edges are their `needs`. Nothing here runs a step.
 */
import { BugError } from './errors.js';
import type { AnyStep, StepId } from './types.js';

/** The part of a step the graph functions read: its id and what it needs. */
export type GraphNode = Pick<AnyStep, 'id' | 'needs'>;

/**
 * Checks the graph before anything runs.
 * @param steps the steps in declaration order.
 * @throws BugError listing every problem at once, one per line: duplicate ids, unknown needs
 *   (`"serving" needs "import", which does not exist`) and cycles with their path
 *   (`cycle: a → b → c → a`).
 */
export function validateGraph(steps: readonly GraphNode[]): void {
  const problems: string[] = [];
  const byId = new Map<StepId, GraphNode>();
  for (const step of steps) {
    if (byId.has(step.id)) problems.push(`duplicate step id "${step.id}"`);
    else byId.set(step.id, step);
  }
  for (const step of byId.values()) {
    for (const need of step.needs) {
      if (!byId.has(need)) problems.push(`"${step.id}" needs "${need}", which does not exist`);
    }
  }
  for (const cycle of findCycles(byId)) problems.push(`cycle: ${cycle.join(' → ')}`);
  if (problems.length > 0) {
    throw new BugError(`invalid step graph:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Every cycle reachable by a depth-first walk, each as a path that ends where it starts
 * (`['a', 'b', 'a']`). Each cycle is reported once. Unknown needs are ignored here.
 */
function findCycles(byId: ReadonlyMap<StepId, GraphNode>): StepId[][] {
  const cycles: StepId[][] = [];
  const state = new Map<StepId, 'visiting' | 'visited'>();
  const path: StepId[] = [];
  const visit = (id: StepId): void => {
    state.set(id, 'visiting');
    path.push(id);
    for (const need of byId.get(id)?.needs ?? []) {
      if (!byId.has(need)) continue;
      const s = state.get(need);
      if (s === 'visiting') {
        // Path from `need` to here, then back to `need`: the order in which the needs point.
        cycles.push([...path.slice(path.indexOf(need)), need]);
      } else if (s === undefined) {
        visit(need);
      }
    }
    path.pop();
    state.set(id, 'visited');
  };
  for (const id of byId.keys()) if (!state.has(id)) visit(id);
  return cycles;
}

/**
 * Step ids in an order where every step comes after what it needs. Stable: among steps
 * that could go next, the one declared first goes first.
 * @throws BugError when the graph is invalid (see validateGraph).
 */
export function topologicalOrder(steps: readonly GraphNode[]): StepId[] {
  validateGraph(steps);
  const placed = new Set<StepId>();
  const order: StepId[] = [];
  while (order.length < steps.length) {
    const next = steps.find((s) => !placed.has(s.id) && s.needs.every((n) => placed.has(n)));
    // validateGraph rules out cycles, so there is always a next step.
    if (!next) throw new BugError('topologicalOrder: no step can go next (cycle not caught)');
    placed.add(next.id);
    order.push(next.id);
  }
  return order;
}

/**
 * Every step that needs `id`, directly or through other steps, in declaration order.
 * `id` itself is not included. An unknown id has no dependants.
 */
export function dependantsOf(steps: readonly GraphNode[], id: StepId): StepId[] {
  const found = new Set<StepId>([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of steps) {
      if (!found.has(s.id) && s.needs.some((n) => found.has(n))) {
        found.add(s.id);
        grew = true;
      }
    }
  }
  found.delete(id);
  return steps.filter((s) => found.has(s.id)).map((s) => s.id);
}

/**
 * The given steps and everything they need, directly or transitively, in declaration order
 * (what `--only` / `retry STEP` runs).
 * @throws BugError when one of `ids` is not a step.
 */
export function requirementsOf(steps: readonly GraphNode[], ids: readonly StepId[]): StepId[] {
  const byId = new Map(steps.map((s) => [s.id, s] as const));
  const found = new Set<StepId>();
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop() as StepId;
    if (found.has(id)) continue;
    const step = byId.get(id);
    if (!step) throw new BugError(`unknown step "${id}"`);
    found.add(id);
    stack.push(...step.needs);
  }
  return steps.filter((s) => found.has(s.id)).map((s) => s.id);
}
