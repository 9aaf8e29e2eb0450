/**
 * Stage 0, preflight (STAGES.md §0): read-only checks before any write. Every check ends pass /
 * warn / fail with the fix; the step itself ends done with the fails listed in its outputs (a
 * fail blocks only the stages it names, see `assertNotBlocked`), except a failed connection or
 * a missing identity, which end the run.
 */
import { z } from 'zod';
import type { Services } from '../src/cluster/services.js';
import { UserError, messageOf, userErrorOf } from '../src/engine/errors.js';
import type { StageId, Step, StepContext } from '../src/engine/types.js';
import { checkDomain, checkGpus, checkOpenShiftAi, checkOperators, checkPermissions, checkStorage, readVersion } from './preflight-checks.js';
import type { PreflightCheck, PreflightFacts } from './preflight-facts.js';

/** Preflight has no inputs. */
const inputs = z.object({});
type Inputs = z.infer<typeof inputs>;

/**
 * Connection and identity: `GET /apis/user.openshift.io/v1/users/~` (or a SelfSubjectReview).
 * @throws UserError from the client (`auth.unauthorized`, `cluster.unreachable`, ...) or
 *   `auth.identity` when the cluster cannot say who the user is.
 */
async function identify(services: Services): Promise<{ name: string; groups: string[] }> {
  const me = await services.kube.whoAmI();
  if (!me) {
    throw new UserError('auth.identity', `the cluster ${services.cluster.server} answered but cannot say who the current user is (no users/~ and no SelfSubjectReview)`, {
      fix: 'log in with a user account (`oc login`), not a certificate without a user name',
    });
  }
  return me;
}

/** Errors that mean the cluster cannot be used at all: they end preflight instead of failing one check. */
const FATAL = new Set(['auth.unauthorized', 'auth.expired', 'cluster.unreachable', 'cluster.tls']);

/**
 * Runs one check; an error inside it (a denied read, a 5xx) becomes a `fail` of that check
 * blocking `blocks`, so the other checks still report. Fatal connection errors are rethrown.
 */
async function guarded<T>(id: string, blocks: StageId[], run: () => Promise<T>, onFail: (check: PreflightCheck) => NoInfer<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const user = userErrorOf(err);
    if (user && FATAL.has(user.code)) throw err;
    return onFail({
      id,
      status: 'fail',
      message: `could not check ${id}: ${messageOf(user ?? err)}`,
      fix: user?.fix ?? 'run preflight again; if it persists, check the cluster with the commands of this step',
      blocks,
    });
  }
}

/** Runs every check; returns the facts (the step's outputs). */
export async function runPreflight(services: Services): Promise<PreflightFacts> {
  const { kube } = services;
  const me = await identify(services);
  const checks: PreflightCheck[] = [{ id: 'connection', status: 'pass', message: `connected to ${services.cluster.server} as ${me.name}` }];
  const isOpenShift = await kube.hasApiGroup('route.openshift.io');
  const version = isOpenShift ? await readVersion(kube).catch(() => undefined) : undefined;
  checks.push(
    isOpenShift
      ? { id: 'openshift', status: 'pass', message: `OpenShift${version ? ` ${version}` : ''}` }
      : {
          id: 'openshift',
          status: 'fail',
          message: 'this cluster is not OpenShift (API group route.openshift.io is absent)',
          fix: 'run against an OpenShift cluster: Routes, OLM operators and OpenShift AI are needed from the SSO stage on',
          blocks: ['sso', '3scale', 'policies', 'portal', 'verify'],
        },
  );
  const [permissions, ai, operators, storage, gpus, domain] = await Promise.all([
    guarded('permissions', [], () => checkPermissions(kube, isOpenShift, me.name), (check) => ({ ...check, status: 'warn' as const })),
    guarded('openshift-ai', ['serving'], () => checkOpenShiftAi(kube), (check) => ({ check })),
    guarded('operators', ['sso', '3scale'], () => checkOperators(kube), (check) => ({ checks: [check] })),
    guarded('storage', [], () => checkStorage(kube), (check) => ({ checks: [{ ...check, status: 'warn' as const }], bucketClasses: [], rwxClasses: [] })),
    guarded('gpu', [], () => checkGpus(kube), (check) => ({ check: { ...check, status: 'warn' as const } })),
    guarded('domain', ['sso', '3scale', 'portal', 'verify'], () => checkDomain(kube), (check) => ({ check })),
  ]);
  checks.push(permissions, ai.check, ...operators.checks, ...storage.checks, gpus.check, domain.check);
  return {
    user: me.name,
    groups: me.groups,
    isOpenShift,
    ...(version ? { version } : {}),
    ...(domain.domain ? { domain: domain.domain } : {}),
    ...(storage.bucketClass ? { bucketClass: storage.bucketClass } : {}),
    bucketClasses: storage.bucketClasses,
    ...(storage.rwxClass ? { rwxClass: storage.rwxClass } : {}),
    rwxClasses: storage.rwxClasses,
    ...(gpus.gpu ? { gpu: gpus.gpu } : {}),
    operators: { ...(operators.rhsso ? { rhsso: operators.rhsso } : {}), ...(operators.threescale ? { threescale: operators.threescale } : {}) },
    ...(ai.kserve ? { kserve: ai.kserve } : {}),
    checks,
  };
}

/** The preflight step: plan checks the connection (nothing to change), verify runs every check. */
export const preflightStep: Step<Inputs, PreflightFacts, Services> = {
  id: 'preflight',
  stage: 'preflight',
  title: 'Check the cluster',
  needs: [],
  inputs,
  fields: [],
  async plan(ctx: StepContext<Inputs, Services>) {
    await identify(ctx.services);
    return [];
  },
  async apply() {
    // Read-only: nothing to apply.
  },
  async verify(ctx: StepContext<Inputs, Services>) {
    const facts = await runPreflight(ctx.services);
    for (const c of facts.checks) if (c.status !== 'pass') ctx.log(`${c.status}: ${c.message}${c.fix ? ` (fix: ${c.fix})` : ''}`);
    return facts;
  },
  explain: {
    what: 'Reads the cluster, changes nothing: who you are, OpenShift version, permissions, OpenShift AI, the operator catalog, storage classes, GPUs and the wildcard domain.',
    why: 'Later stages default from these facts, and a problem found now costs less than one found half-way through the setup.',
    commands: [
      'oc whoami',
      'oc get clusterversion version -o jsonpath="{.status.desired.version}"',
      'oc auth can-i create projectrequests',
      'oc auth can-i create inferenceservices.serving.kserve.io -n llm-hosting',
      'oc get datasciencecluster -o jsonpath="{.items[0].spec.components.kserve.managementState}"',
      'oc get packagemanifest rhsso-operator 3scale-operator -n openshift-marketplace',
      'oc get storageclass',
      'oc get nodes -o custom-columns=NAME:.metadata.name,GPUS:.status.allocatable.nvidia\\.com/gpu,PRODUCT:.metadata.labels.nvidia\\.com/gpu\\.product',
      'oc get ingresses.config.openshift.io cluster -o jsonpath="{.spec.domain}"',
    ],
  },
};
