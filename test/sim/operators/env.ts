/**
 * A simulated cluster without HTTP for operator tests: seeded store, instant clock, every
 * operator running, optional fake backends. Waits use store events or the clock settling, never sleeps.
 */
import { createKindRegistry } from '../../../src/sim/kinds.js';
import { createObjectStore } from '../../../src/sim/store.js';
import { createPodLogs } from '../../../src/sim/kube/logs.js';
import { createServiceRegistry } from '../../../src/sim/kube/services.js';
import { createClock } from '../../../src/sim/clock.js';
import { createIngress } from '../../../src/sim/ingress.js';
import { seedCluster, SIM_DOMAIN } from '../../../src/sim/seed.js';
import { createOperators } from '../../../src/sim/operators/index.js';
import type { OperatorFlags, SimBackends } from '../../../src/sim/operators/index.js';
import { Objects } from '../../../src/sim/operators/objects.js';
import type { StoredObject } from '../../../src/sim/types.js';

export type TestEnv = ReturnType<typeof makeEnv>;

/** Builds and starts the env. `flags` as scenarios would set them. */
export function makeEnv(options: { backends?: SimBackends; flags?: OperatorFlags; before?: (o: Objects) => void } = {}) {
  const kinds = createKindRegistry();
  const store = createObjectStore(kinds);
  seedCluster(store, kinds, SIM_DOMAIN);
  const o = new Objects(store, kinds);
  options.before?.(o);
  const clock = createClock('instant');
  const podLogs = createPodLogs();
  const services = createServiceRegistry();
  const ingress = createIngress();
  const flags: OperatorFlags = options.flags ?? {};
  const { all, jobs } = createOperators({ store, kinds, clock, podLogs, services, ingress, domain: SIM_DOMAIN, flags, backends: options.backends ?? {} });
  for (const op of all) op.start();
  return {
    kinds, store, o, clock, podLogs, services, ingress, jobs,
    stop() {
      for (const op of all) op.stop();
      clock.stop();
    },
    /** Resolves with the object once `test` holds for it (checked now and after every store change). */
    waitFor(kind: string, namespace: string | undefined, name: string, test: (obj: StoredObject) => boolean, what = `${kind} ${name}`): Promise<StoredObject> {
      return new Promise((resolve, reject) => {
        let done = false;
        const check = (): void => {
          if (done) return;
          const obj = o.get(kind, namespace, name);
          if (obj && test(obj)) {
            done = true;
            unsubscribe();
            resolve(obj);
          }
        };
        const unsubscribe = store.subscribe(() => check());
        // When the simulation has nothing left to do and the condition still fails, fail with what we saw.
        const watchdog = async (): Promise<void> => {
          while (!done) {
            await clock.settled();
            check();
            if (done) return;
            await clock.settled();
            if (!done) {
              done = true;
              unsubscribe();
              reject(new Error(`gave up waiting for ${what}: simulation settled with ${JSON.stringify(o.get(kind, namespace, name)?.['status'] ?? 'no object')}`));
            }
          }
        };
        check();
        void watchdog();
      });
    },
  };
}

/** Creates a namespace, an OperatorGroup targeting it and a Subscription for `pkg`. */
export function subscribe(env: TestEnv, pkg: string, ns: string, opts: { channel?: string; targetNamespaces?: string[] | null; source?: string } = {}): void {
  env.o.ensure('Namespace', { metadata: { name: ns } });
  if (opts.targetNamespaces !== null) {
    env.o.ensure('OperatorGroup', { metadata: { name: ns, namespace: ns }, spec: opts.targetNamespaces === undefined ? { targetNamespaces: [ns] } : { targetNamespaces: opts.targetNamespaces } });
  }
  env.o.ensure('Subscription', {
    metadata: { name: pkg, namespace: ns },
    spec: { name: pkg, source: opts.source ?? 'redhat-operators', sourceNamespace: 'openshift-marketplace', installPlanApproval: 'Automatic', ...(opts.channel ? { channel: opts.channel } : {}) },
  });
}

/** Subscribes and waits for the CSV to succeed. */
export async function install(env: TestEnv, pkg: string, ns: string, channel?: string): Promise<void> {
  subscribe(env, pkg, ns, channel ? { channel } : {});
  const sub = await env.waitFor('Subscription', ns, pkg, (s) => Boolean(statusOf(s)['installedCSV']));
  await env.waitFor('ClusterServiceVersion', ns, String(statusOf(sub)['installedCSV']), (c) => statusOf(c)['phase'] === 'Succeeded');
}

/** `status` of an object as a record. */
export function statusOf(obj: StoredObject | undefined): Record<string, unknown> {
  return (obj?.['status'] ?? {}) as Record<string, unknown>;
}

/** A condition of `status.conditions`. */
export function conditionOf(obj: StoredObject | undefined, type: string): { status?: string; reason?: string; message?: string } | undefined {
  return ((statusOf(obj)['conditions'] ?? []) as { type: string; status?: string; reason?: string; message?: string }[]).find((c) => c.type === type);
}

/** Base64 decode of a Secret data key. */
export function secretKey(obj: StoredObject | undefined, key: string): string | undefined {
  const v = (obj?.['data'] as Record<string, string> | undefined)?.[key];
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8');
}
