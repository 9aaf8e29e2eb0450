/**
 * Typical durations of what the simulated cluster does, in SECONDS of simulated time: the one
 * table the `realistic` timing profile, the operators and the benchmark (critical path) read.
 *
 * Source: SIMULATOR.md §4 ("orders of magnitude people report"): operator install 60–90 s,
 * OBC Bound 10–30 s, Keycloak ready 2–3 min / realm 10 s, APIManager Available 6–10 min,
 * model copy ~150 MB/s in-cluster and ~30 MB/s from a laptop, vLLM predictor 3–5 min, TEI ~1 min,
 * 3scale deploy + promote 2–5 s. Values here are the middle of each range.
 */
export const DURATIONS = {
  /** Subscription created → ClusterServiceVersion `Succeeded` (OLM). */
  operatorInstall: 75,
  /** ObjectBucketClaim created → `status.phase: Bound`. */
  obcBound: 20,
  /** Keycloak CR created → `status.ready: true` (RH-SSO operator). */
  keycloakReady: 150,
  /** Keycloak ready under the `keycloak-slow-start` scenario. */
  keycloakReadySlow: 600,
  /** KeycloakRealm created (its Keycloak ready) → realm exists, `status.ready: true`. */
  realmReady: 10,
  /** APIManager created → condition `Available=True` (≈15 Deployments rolled out). */
  apiManagerAvailable: 480,
  /** ReadWriteMany PVC (CephFS) → Bound. */
  pvcBound: 10,
  /** vLLM predictor (7–8B model) → InferenceService `Ready`. */
  vllmPredictorReady: 240,
  /** TEI (embeddings) predictor → InferenceService `Ready`. */
  teiPredictorReady: 60,
  /** Time a crashing vLLM container runs before it exits (profiling the KV cache). */
  vllmCrashAfter: 45,
  /** 3scale proxy config deploy to staging + promote to production. */
  deployPromote: 3,
  /** A plain Job's container runs this long before it exits 0. */
  jobRun: 5,
  /** Notebook (workbench) created → its pod Ready (image pull + Jupyter start). */
  notebookReady: 60,
  /** Pod scheduled → container started (image pulled). */
  podStart: 5,
} as const;

/** Copy rates in BYTES PER SECOND (SIMULATOR.md §4: ~150 MB/s in-cluster, ~30 MB/s from a laptop). */
export const RATES = {
  modelCopyInCluster: 150 * 1000 * 1000,
  modelCopyFromLaptop: 30 * 1000 * 1000,
} as const;

/** Names of the durations above, for the benchmark. */
export type DurationName = keyof typeof DURATIONS;

/** Seconds a copy of `bytes` takes at `bytesPerSecond` (SIMULATOR.md §4 rates). */
export function copySeconds(bytes: number, bytesPerSecond: number): number {
  return bytes / bytesPerSecond;
}
