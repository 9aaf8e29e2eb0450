/**
 * What every simulated operator receives, and the shape of one operator. Operators reconcile
 * the object store in-process (SIMULATOR.md §2): they watch it with `store.subscribe`, do their
 * work on the clock (`clock.after`, simulated seconds from src/sim/durations.ts) and write
 * status the way the real controllers do.
 */
import type {
  HubBackend,
  IngressRegistry,
  KeycloakBackend,
  KindRegistry,
  ModelServerFactory,
  ObjectStore,
  PodLogs,
  S3Backend,
  ServiceRegistry,
  SimClock,
  ThreescaleBackend,
} from '../types.js';

/** The simulated services behind Routes and Services; each optional (operators work without them). */
export interface SimBackends {
  keycloak?: KeycloakBackend;
  threescale?: ThreescaleBackend;
  s3?: S3Backend;
  hub?: HubBackend;
  modelServer?: ModelServerFactory;
}

/**
 * Behaviour switches set by scenarios (src/sim/scenarios.ts) that cannot be expressed as cluster
 * data. Everything else a scenario does is a change to the seeded objects.
 */
export interface OperatorFlags {
  /** `kv-cache-too-small`: KV cache capacity in tokens; a vLLM `--max-model-len` above it crash-loops (C5). */
  kvCacheTokens?: number;
  /** `keycloak-slow-start`: Keycloak takes `DURATIONS.keycloakReadySlow` to become ready. */
  keycloakSlowStart?: boolean;
}

/** Everything an operator may use. */
export interface OperatorContext {
  store: ObjectStore;
  kinds: KindRegistry;
  clock: SimClock;
  podLogs: PodLogs;
  services: ServiceRegistry;
  ingress: IngressRegistry;
  /** Wildcard domain, e.g. `apps.sim.maas.example`. */
  domain: string;
  flags: OperatorFlags;
  backends: SimBackends;
}

/** A running simulated operator. `start` reconciles what already exists (restart from a state dir) and then watches. */
export interface SimOperator {
  readonly name: string;
  start(): void;
  stop(): void;
}
