/**
 * The critical-path lower bound of a `realistic` demo run (issue #10 item 5): the longest path
 * through the step graph (steps/index.ts, edges = `needs`) where each step weighs the simulated
 * time of what it waits for, from src/sim/durations.ts (SECONDS of simulated time), divided by the
 * speed factor. No run can finish sooner, whatever the concurrency; with `--concurrency 1` no run
 * can finish sooner than the SUM of the weights (`serialSeconds`).
 *
 * The approximation (what each step waits for in the simulation, read from src/sim/operators/):
 * - `storage`: the ObjectBucketClaim binding (obc.ts, `obcBound`);
 * - `sso.operator`, `threescale.operator`: OLM installing the operator (olm.ts, `operatorInstall`);
 * - `sso.keycloak`: Keycloak ready then the realm (rhsso.ts, `keycloakReady` + `realmReady`);
 * - `threescale.databases`: the database PVCs binding then their Deployments starting
 *   (pvc.ts `pvcBound`, workloads.ts `podStart`);
 * - `threescale.apimanager`: the system-storage PVC then the rollout (pvc.ts `pvcBound`,
 *   threescale.ts `apiManagerAvailable`);
 * - `serving.<model>`: the storage initializer then the predictor (kserve.ts `podStart` +
 *   `vllmPredictorReady`, or `teiPredictorReady` for embedding models served by TEI);
 * - `import.<model>` with method `local` (what the bench runs): a real copy over loopback, no
 *   simulated time (`RATES` are not applied by the simulation); with method `job`, `podStart` +
 *   `jobRun` (jobs.ts).
 * - every other step: API calls only, weight 0 (`deployPromote` is not simulated as a delay).
 * Left out: the wizard's own work (requests, polling intervals), so the bound is strict.
 */
import { DURATIONS } from '../../src/sim/durations.js';

/** A step as the graph sees it, plus what the weight needs: the model runtime of serving steps. */
export interface WeightedNode {
  id: string;
  needs: readonly string[];
  /** `tei` for embedding models served by Text Embeddings Inference, else vLLM. */
  runtime?: string;
}

/** Simulated seconds step `node` waits for (see the module comment), import method `local` or `job`. */
export function stepSeconds(node: WeightedNode, importMethod: 'local' | 'job' = 'local'): number {
  const id = node.id;
  if (id === 'storage') return DURATIONS.obcBound;
  if (id === 'sso.operator' || id === 'threescale.operator') return DURATIONS.operatorInstall;
  if (id === 'sso.keycloak') return DURATIONS.keycloakReady + DURATIONS.realmReady;
  if (id === 'threescale.databases') return DURATIONS.pvcBound + DURATIONS.podStart;
  if (id === 'threescale.apimanager') return DURATIONS.pvcBound + DURATIONS.apiManagerAvailable;
  if (id.startsWith('serving.')) return DURATIONS.podStart + (node.runtime === 'tei' ? DURATIONS.teiPredictorReady : DURATIONS.vllmPredictorReady);
  if (id.startsWith('import.') && importMethod === 'job') return DURATIONS.podStart + DURATIONS.jobRun;
  return 0;
}

/** True when path `a` outweighs `b`; on equal weight, the one with more steps (so the path runs on to the last step). */
function longer(a: { seconds: number; path: string[] }, b: { seconds: number; path: string[] }): boolean {
  return a.seconds > b.seconds || (a.seconds === b.seconds && a.path.length > b.path.length);
}

/** The bound: the longest weighted path, its steps, and the serial sum. Seconds of real time (simulated / speed). */
export interface CriticalPath {
  /** Longest path, real seconds. */
  seconds: number;
  /** The steps on it, first to last (only those with a weight shown by `describe`). */
  path: string[];
  /** Sum of every step's weight, real seconds: the bound with `--concurrency 1`. */
  serialSeconds: number;
}

/**
 * Longest path through `nodes` (a DAG: steps/index.ts is validated by the engine), weights from
 * `stepSeconds`, divided by `speed` (> 0).
 * @throws Error when a step needs one that is not in `nodes`, or on a cycle.
 */
export function criticalPath(nodes: readonly WeightedNode[], speed: number, importMethod: 'local' | 'job' = 'local'): CriticalPath {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  const best = new Map<string, { seconds: number; path: string[] }>();
  const visiting = new Set<string>();
  const finish = (id: string): { seconds: number; path: string[] } => {
    const known = best.get(id);
    if (known) return known;
    const node = byId.get(id);
    if (!node) throw new Error(`step "${id}" is needed but not in the graph`);
    if (visiting.has(id)) throw new Error(`cycle through "${id}"`);
    visiting.add(id);
    let before = { seconds: 0, path: [] as string[] };
    for (const need of node.needs) {
      const f = finish(need);
      if (longer(f, before)) before = f;
    }
    visiting.delete(id);
    const own = stepSeconds(node, importMethod) / speed;
    const result = { seconds: before.seconds + own, path: [...before.path, id] };
    best.set(id, result);
    return result;
  };
  let longest = { seconds: 0, path: [] as string[] };
  for (const n of nodes) {
    const f = finish(n.id);
    if (longer(f, longest)) longest = f;
  }
  const serialSeconds = nodes.reduce((sum, n) => sum + stepSeconds(n, importMethod) / speed, 0);
  return { seconds: longest.seconds, path: longest.path, serialSeconds };
}

/** The path as text, weighted steps only: `threescale.operator 75 s → ...` (simulated seconds). */
export function describePath(nodes: readonly WeightedNode[], path: readonly string[], importMethod: 'local' | 'job' = 'local'): string {
  const byId = new Map(nodes.map((n) => [n.id, n] as const));
  return path
    .map((id) => ({ id, s: stepSeconds(byId.get(id) ?? { id, needs: [] }, importMethod) }))
    .filter((x) => x.s > 0)
    .map((x) => `${x.id} ${x.s} s`)
    .join(' → ');
}
