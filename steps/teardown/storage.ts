/**
 * Teardowns of stages 1–3 (STAGES.md §1–§3): the project namespace, the bucket (ObjectBucketClaim
 * or the existing-S3 Secret) and the data connection Secret.
 *
 * Facts: deleting an ObjectBucketClaim deletes its bucket (lib-bucket-provisioner, reclaim policy
 * Delete) and deleting the namespace deletes the claim in it; so both wait for `--delete-data`.
 * A bucket given as "existing S3" was not made by the wizard and is never deleted.
 */
import { OBC_API } from '../storage/obc.js';
import { projectNamespace } from '../storage/inputs.js';
import { deleteObject, deleteUnlessKept, namespaceRef, secretRef } from './kube.js';
import type { Teardown, TeardownContext } from './types.js';

const NO_DATA = 'it holds the bucket and the model files: add --delete-data to delete them';

/** The storage step's saved mode and claim name (defaults `obc`, `models`). */
function storageChoice(ctx: TeardownContext): { recorded: boolean; mode: string; claim: string; secretName: string } {
  const i = ctx.inputsOf('storage');
  return {
    recorded: i !== undefined,
    mode: typeof i?.['mode'] === 'string' ? i['mode'] : 'obc',
    claim: typeof i?.['claimName'] === 'string' ? i['claimName'] : 'models',
    secretName: typeof i?.['secretName'] === 'string' ? i['secretName'] : 'models-s3',
  };
}

/** Why the project namespace is kept whatever is answered: it holds the claim and no --delete-data. */
function namespaceKeep(ctx: TeardownContext): string | undefined {
  const s = storageChoice(ctx);
  if (ctx.options.deleteData || !s.recorded || s.mode === 'existing-s3') return undefined;
  return `it holds ObjectBucketClaim ${s.claim}, whose bucket would go with it: add --delete-data to delete them`;
}

/** `project`: the Namespace (asked; kept while it holds the bucket claim without --delete-data). */
export const projectTeardown: Teardown = {
  describe(ctx) {
    const ns = String(ctx.inputs['namespace'] ?? projectNamespace(ctx));
    const keep = namespaceKeep(ctx);
    return [{ key: 'namespace', what: `Namespace ${ns} (and everything left in it)`, ask: 'namespace', ...(keep ? { keep } : {}) }];
  },
  async run(ctx, report) {
    const ns = String(ctx.inputs['namespace'] ?? projectNamespace(ctx));
    let keep = namespaceKeep(ctx);
    if (keep) {
      // Only while the claim is really there: a claim deleted earlier (or never bound) holds nothing.
      const s = storageChoice(ctx);
      if (!(await ctx.services.kube.get(OBC_API, 'ObjectBucketClaim', s.claim, ns))) keep = undefined;
    }
    await deleteUnlessKept(ctx, { key: 'namespace', ref: namespaceRef(ns), keep }, report);
  },
};

/** `storage`: the ObjectBucketClaim only with --delete-data; the existing-S3 keys Secret always. */
export const storageTeardown: Teardown = {
  describe(ctx) {
    const s = storageChoice(ctx);
    const ns = projectNamespace(ctx);
    if (s.mode === 'existing-s3') {
      return [{ key: 'secret', what: `Secret ${ns}/${s.secretName} (the existing S3 keys; the bucket itself is not the wizard's and stays)` }];
    }
    return [{ key: 'claim', what: `ObjectBucketClaim ${ns}/${s.claim} (deletes the bucket and every file in it)`, ...(ctx.options.deleteData ? {} : { keep: NO_DATA }) }];
  },
  async run(ctx, report) {
    const s = storageChoice(ctx);
    const ns = projectNamespace(ctx);
    if (s.mode === 'existing-s3') {
      report(await deleteObject(ctx, secretRef(ns, s.secretName)));
      return;
    }
    const ref = { apiVersion: OBC_API, kind: 'ObjectBucketClaim', name: s.claim, namespace: ns };
    await deleteUnlessKept(ctx, { key: 'claim', ref, keep: ctx.options.deleteData ? undefined : NO_DATA }, report);
  },
};

/** `data-connection`: its Secret (a copy of the bucket's keys with the OpenShift AI labels). */
export const dataConnectionTeardown: Teardown = {
  describe(ctx) {
    return [{ key: 'secret', what: `Secret ${projectNamespace(ctx)}/${String(ctx.inputs['name'] ?? 'aws-connection-models')} (the data connection)` }];
  },
  async run(ctx, report) {
    report(await deleteObject(ctx, secretRef(projectNamespace(ctx), String(ctx.inputs['name'] ?? 'aws-connection-models'))));
  },
};
