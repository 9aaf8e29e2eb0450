/**
 * Teardowns of the 3scale installation (STAGES.md §7): the APIManager (its Deployments, Routes and
 * tenant go with it: the operator owns them) with the remove-bearer custom policy (Secret
 * `cp-bearer`, CustomPolicyDefinition `remove-bearer`); the databases the wizard created (Redis and
 * PostgreSQL Deployments, Services, PersistentVolumeClaims, the password Secret) and the three
 * Secrets the operator reads; then, asked, the operator and the namespace. `threescale.base`
 * deletes nothing: what it changed in the tenant went with the tenant, and nothing is restored.
 */
import type { ObjectRef } from '../../src/cluster/kube.js';
import { DEFAULT_NAMESPACES } from '../preflight-facts.js';
import { REMOVE_BEARER } from '../threescale/custom-policy.js';
import { DB, OPERATOR_SECRETS } from '../threescale/databases-manifests.js';
import { KINDS, THREESCALE_PACKAGE } from '../threescale/shared.js';
import { deleteObjects, objectLabel, secretRef } from './kube.js';
import { operatorItems, removeOperator } from './olm.js';
import type { Teardown, TeardownContext } from './types.js';

const CPD = { apiVersion: 'capabilities.3scale.net/v1beta1', kind: 'CustomPolicyDefinition' } as const;

/** The 3scale namespace: `threescale.operator`'s output, else its saved input, else `3scale`. */
export function threescaleNamespace(ctx: TeardownContext): string {
  const out = ctx.outputs('threescale.operator')?.['namespace'];
  const saved = ctx.inputsOf('threescale.operator')?.['namespace'];
  return typeof out === 'string' ? out : typeof saved === 'string' ? saved : DEFAULT_NAMESPACES.threescale;
}

function apiManagerRefs(ctx: TeardownContext): { refs: ObjectRef[]; s3Secret?: string } {
  const ns = threescaleNamespace(ctx);
  const refs: ObjectRef[] = [{ ...KINDS.apiManager, name: String(ctx.inputs['name'] ?? 'apimanager'), namespace: ns }];
  if (ctx.inputs['bearerMode'] === 'remove-bearer') refs.push({ ...CPD, name: REMOVE_BEARER.name, namespace: ns }, secretRef(ns, REMOVE_BEARER.secret));
  return { refs, ...(ctx.inputs['fileStorage'] === 's3' ? { s3Secret: String(ctx.inputs['s3Secret'] ?? 's3-filestorage') } : {}) };
}

/** `threescale.apimanager`. The S3 file storage Secret may predate the wizard: kept. */
export const apiManagerTeardown: Teardown = {
  describe(ctx) {
    const { refs, s3Secret } = apiManagerRefs(ctx);
    return [
      ...refs.map((r, i) => ({ key: `object-${i}`, what: i === 0 ? `${objectLabel(r)} (3scale itself: portals, gateways, the tenant and its data)` : objectLabel(r) })),
      ...(s3Secret ? [{ key: 's3', what: `Secret ${threescaleNamespace(ctx)}/${s3Secret}`, keep: 'it may hold keys you created before the wizard: delete it by hand when unused' }] : []),
    ];
  },
  async run(ctx, report) {
    const { refs, s3Secret } = apiManagerRefs(ctx);
    await deleteObjects(ctx, refs, report);
    if (s3Secret) report({ what: `Secret ${threescaleNamespace(ctx)}/${s3Secret}`, result: 'kept', why: 'it may hold keys you created before the wizard' });
  },
};

function databaseRefs(ctx: TeardownContext): ObjectRef[] {
  const ns = threescaleNamespace(ctx);
  const mode = ctx.outputs(ctx.stepId)?.['mode'] ?? ctx.inputs['mode'];
  if (mode === 'internal') return [];
  const created: ObjectRef[] = mode === 'existing' ? [] : [
    ...[DB.redis, DB.postgresql].flatMap((name) => [
      { ...KINDS.deployment, name, namespace: ns },
      { ...KINDS.service, name, namespace: ns },
      { ...KINDS.pvc, name, namespace: ns },
    ]),
    secretRef(ns, DB.credentials),
  ];
  return [...Object.keys(OPERATOR_SECRETS).map((name) => secretRef(ns, name)), ...created];
}

/** `threescale.databases`. */
export const databasesTeardown: Teardown = {
  note: (ctx) => (databaseRefs(ctx).length === 0 ? 'nothing to delete: 3scale used its internal databases' : undefined),
  describe: (ctx) => databaseRefs(ctx).map((r, i) => ({ key: `object-${i}`, what: r.kind === 'PersistentVolumeClaim' ? `${objectLabel(r)} (the data)` : objectLabel(r) })),
  run: (ctx, report) => deleteObjects(ctx, databaseRefs(ctx), report),
};

/** `threescale.base`: nothing of its own. */
export const baseTeardown: Teardown = {
  note: () => 'nothing of its own: the sample product and account it changed belong to the tenant (not restored)',
  describe: () => [],
  run: () => Promise.resolve(),
};

/** `threescale.operator`: asked. */
export const threescaleOperatorTeardown: Teardown = {
  describe: (ctx) => operatorItems(THREESCALE_PACKAGE, threescaleNamespace(ctx)),
  async run(ctx, report) {
    const csv = ctx.outputs('threescale.operator')?.['csv'];
    await removeOperator(ctx, THREESCALE_PACKAGE, threescaleNamespace(ctx), typeof csv === 'string' ? csv : undefined, report);
  },
};
