/**
 * Stage 2, object storage (STAGES.md §2; FIELD-CASES C1, C2): an ObjectBucketClaim on a bucket
 * class that exists, awaited until Bound within a bounded time, or an existing S3 bucket whose
 * keys go into a Secret. Outputs name the bucket, the endpoints, the region and where the keys
 * are (Secret / ConfigMap names), never the keys.
 */
import { KubeApiError } from '../../src/cluster/errors.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError, WaitTimeoutError, userErrorOf } from '../../src/engine/errors.js';
import type { Change, Diagnosis, Step, StepContext } from '../../src/engine/types.js';
import { assertNotBlocked, preflightFacts } from '../preflight-facts.js';
import { resolveBucketClass } from './classes.js';
import { pendingClaimDiagnosis } from './diagnose.js';
import { externalEndpointOf, inClusterEndpoint } from './endpoint.js';
import { existingS3Change, existingS3Manifest } from './existing-s3.js';
import { projectNamespace, storageDefaults, storageFields, storageInputs, storageSecrets } from './inputs.js';
import type { StorageInputs } from './inputs.js';
import { OBC_API, claimChange, readBoundClaim } from './obc.js';
import type { ClaimShape } from './obc.js';
import { decodeSecret, resolveSecretManifest } from './refs.js';

/** Outputs of the storage step: what later steps need to find the bucket (no key values). */
export interface StorageOutputs {
  mode: 'obc' | 'existing-s3';
  namespace: string;
  bucket: string;
  /** Endpoint as pods see it (in-cluster Service URL for an OBC), for the data connection. */
  endpoint: string;
  /** Endpoint reachable from this machine (the object store Route), for imports and checks. */
  externalEndpoint: string;
  region: string;
  /** Secret holding `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (the claim's, or the existing-s3 one). */
  secretName: string;
  /** The claim's ConfigMap (`BUCKET_*`), obc mode only. */
  configMapName?: string;
  storageClass?: string;
  claimName?: string;
}

type Ctx = StepContext<StorageInputs, Services>;

/** The domain for default Route hosts: preflight's fact, else what the services know. */
function domainOf(ctx: Ctx): string | undefined {
  return preflightFacts(ctx)?.domain ?? ctx.services.cluster.domain;
}

async function planObc(ctx: Ctx, ns: string): Promise<Change[]> {
  const { kube } = ctx.services;
  const cls = await resolveBucketClass(kube, ctx.inputs.storageClass);
  const current = await kube.get<ClaimShape>(OBC_API, 'ObjectBucketClaim', ctx.inputs.claimName, ns);
  return [claimChange(current, ns, ctx.inputs.claimName, cls)];
}

async function planExisting(ctx: Ctx, ns: string): Promise<Change[]> {
  const { endpoint = '', bucket = '', region, secretName } = ctx.inputs;
  const manifest = existingS3Manifest(ns, secretName, { endpoint, bucket, region });
  const current = decodeSecret(await ctx.services.kube.get('v1', 'Secret', secretName, ns));
  return [existingS3Change(current, manifest, ctx.secrets)];
}

/** Waits for the claim to be Bound; past the timeout, throws the C1 diagnosis as a UserError. */
async function waitBound(ctx: Ctx, ns: string, className: string): Promise<void> {
  const name = ctx.inputs.claimName;
  const timeoutMs = ctx.inputs.bindTimeoutSeconds * 1000;
  try {
    await ctx.services.kube.waitForObject(ctx.waitFor, { apiVersion: OBC_API, kind: 'ObjectBucketClaim', name, namespace: ns }, (o) => {
      const phase = (o as ClaimShape | undefined)?.status?.phase;
      if (phase === 'Bound') return { state: 'done', value: true };
      if (phase === 'Failed') return { state: 'failed', reason: 'the claim is Failed', fix: `see \`oc describe obc ${name} -n ${ns}\`` };
      return { state: 'pending', currently: o ? (phase ?? 'no status yet') : 'not created yet' };
    }, { what: `ObjectBucketClaim ${ns}/${name} to be Bound`, timeoutMs, intervalMs: 500, maxIntervalMs: 5000 });
  } catch (err) {
    if (!(err instanceof WaitTimeoutError)) throw err;
    const d = await pendingClaimDiagnosis(ctx.services.kube, ns, name, className, ctx.inputs.bindTimeoutSeconds);
    throw new UserError('storage.obc-pending', d.summary, { fix: d.fix, cause: err });
  }
}

/** The storage step. */
export const storageStep: Step<StorageInputs, StorageOutputs, Services> = {
  id: 'storage',
  stage: 'storage',
  title: 'Object storage for the models',
  needs: ['preflight', 'project'],
  inputs: storageInputs,
  secrets: storageSecrets,
  fields: storageFields,
  defaults: storageDefaults,
  async plan(ctx) {
    assertNotBlocked(ctx, 'storage');
    const ns = projectNamespace(ctx);
    return ctx.inputs.mode === 'obc' ? planObc(ctx, ns) : planExisting(ctx, ns);
  },
  async apply(ctx, plan) {
    const { kube } = ctx.services;
    const ns = projectNamespace(ctx);
    for (const change of plan) {
      if (change.action === 'none' || !change.manifest) continue;
      const m = change.manifest;
      if (m.kind === 'ObjectBucketClaim') {
        if (change.action === 'update') await kube.delete({ apiVersion: OBC_API, kind: 'ObjectBucketClaim', name: m.metadata.name ?? '', namespace: ns });
        try {
          await kube.create(m);
        } catch (err) {
          if (!(err instanceof KubeApiError && err.status === 409)) throw err;
        }
      } else if (m.kind === 'Secret') {
        const real = await resolveSecretManifest(m, { inputs: ctx.secrets, readSecret: async () => undefined });
        if (change.action === 'create') await kube.create(real);
        else await kube.mergePatch({ apiVersion: 'v1', kind: 'Secret', name: m.metadata.name ?? '', namespace: ns }, { stringData: real['stringData'] });
      }
    }
    if (ctx.inputs.mode === 'obc') {
      const cls = plan.find((c) => c.target.startsWith('ObjectBucketClaim'))?.manifest?.['spec'] as { storageClassName?: string } | undefined;
      const current = await kube.get<ClaimShape>(OBC_API, 'ObjectBucketClaim', ctx.inputs.claimName, ns);
      await waitBound(ctx, ns, cls?.storageClassName ?? current?.spec?.storageClassName ?? ctx.inputs.storageClass ?? '');
    }
  },
  async verify(ctx) {
    const { kube } = ctx.services;
    const ns = projectNamespace(ctx);
    if (ctx.inputs.mode === 'existing-s3') {
      const { secretName, endpoint = '', bucket = '', region } = ctx.inputs;
      const data = decodeSecret(await kube.get('v1', 'Secret', secretName, ns));
      const missing = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].filter((k) => !data?.[k]);
      if (missing.length > 0) throw new UserError('storage.keys-missing', `Secret ${ns}/${secretName} lacks ${missing.join(', ')}`, { fix: 'run the storage step again with the access key and secret key' });
      return { mode: 'existing-s3', namespace: ns, bucket, endpoint, externalEndpoint: ctx.inputs.externalEndpoint ?? endpoint, region, secretName };
    }
    const name = ctx.inputs.claimName;
    const claim = await kube.get<ClaimShape>(OBC_API, 'ObjectBucketClaim', name, ns);
    if (claim?.status?.phase !== 'Bound') {
      throw new UserError('storage.claim-not-bound', `ObjectBucketClaim ${ns}/${name} is ${claim ? (claim.status?.phase ?? 'without a phase') : 'missing'}`, { fix: 'run the storage step again' });
    }
    const bound = await readBoundClaim(kube, ns, name);
    const external = ctx.inputs.externalEndpoint ?? (await externalEndpointOf(kube, bound.host, bound.port, domainOf(ctx)));
    if (!external) {
      throw new UserError('storage.no-external-endpoint', `cannot tell how to reach ${bound.host} from outside the cluster (no Route to it, no wildcard domain)`, {
        fix: 'give the S3 endpoint reachable from this machine (storage.externalEndpoint), e.g. the object store Route: oc get route -n openshift-storage',
      });
    }
    return {
      mode: 'obc', namespace: ns, bucket: bound.bucket, endpoint: inClusterEndpoint(bound.configMap), externalEndpoint: external, region: bound.region,
      secretName: name, configMapName: name, ...(claim.spec?.storageClassName ? { storageClass: claim.spec.storageClassName } : {}), claimName: name,
    };
  },
  async diagnose(ctx, error): Promise<Diagnosis | undefined> {
    const user = userErrorOf(error);
    if (user?.code === 'storage.obc-pending' || error instanceof WaitTimeoutError) {
      const current = await ctx.services.kube.get<ClaimShape>(OBC_API, 'ObjectBucketClaim', ctx.inputs.claimName, projectNamespace(ctx));
      return pendingClaimDiagnosis(ctx.services.kube, projectNamespace(ctx), ctx.inputs.claimName, current?.spec?.storageClassName ?? ctx.inputs.storageClass ?? '', ctx.inputs.bindTimeoutSeconds);
    }
    if (user?.code === 'storage.class-missing' || user?.code === 'storage.no-bucket-class') return { summary: user.message, fix: user.fix ?? '' };
    return undefined;
  },
  explain: {
    what: 'Claims a bucket for the model files with an ObjectBucketClaim (or records an existing S3 bucket) and waits until it is Bound.',
    why: 'KServe downloads the models from S3 when a predictor starts; the claim gives a bucket plus its endpoint and keys in a ConfigMap and a Secret.',
    commands: [
      'oc get storageclass | grep -E "ceph-rgw|noobaa"',
      'oc apply -n llm-hosting -f - <<EOF\napiVersion: objectbucket.io/v1alpha1\nkind: ObjectBucketClaim\nmetadata:\n  name: models\nspec:\n  generateBucketName: models\n  storageClassName: ocs-storagecluster-ceph-rgw\nEOF',
      'oc wait obc/models -n llm-hosting --for=jsonpath="{.status.phase}"=Bound --timeout=180s',
      'oc get configmap models -n llm-hosting -o yaml   # BUCKET_HOST, BUCKET_NAME, BUCKET_PORT, BUCKET_REGION',
      'oc get route -n openshift-storage   # the S3 endpoint from outside the cluster',
    ],
  },
};
