/**
 * Inputs of the storage step (STAGES.md §2): an ObjectBucketClaim on a bucket class found by
 * preflight (mode `obc`), or an existing S3 bucket whose keys go into a Secret (mode `existing-s3`).
 * With no bucket class at all (ODF without RGW nor NooBaa: FIELD-CASES C2) the default mode is
 * `existing-s3`; the class choices are only the bucket classes that exist.
 */
import { z } from 'zod';
import type { DefaultsContext, InputField } from '../../src/engine/types.js';
import { DEFAULT_NAMESPACES, preflightFacts } from '../preflight-facts.js';

/** An absolute http(s) URL (the scheme matters: S3 clients need it). */
export const httpUrl = z.string().refine((v) => {
  try {
    const u = new URL(v);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}, { message: 'must be a URL with its scheme, e.g. https://s3.us-east-1.amazonaws.com' });

/** S3 bucket name rules (3–63 characters, lowercase letters, digits, dots and hyphens). */
const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be an S3 bucket name: 3-63 lowercase letters, digits, "." or "-"' });

/** RFC 1123 name of a Kubernetes object. */
const objectName = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a lowercase RFC 1123 name (e.g. models)' }).max(63);

/** Non-secret inputs. Times in seconds. */
export const storageInputs = z
  .object({
    mode: z.enum(['obc', 'existing-s3']).default('obc'),
    /** ObjectBucketClaim name and its `generateBucketName` (STAGES.md §2: `models`). */
    claimName: objectName.default('models'),
    /** Bucket StorageClass for the claim; default from preflight (RGW, else NooBaa). */
    storageClass: z.string().min(1).optional(),
    /** How long to wait for the claim to become Bound before diagnosing (C1), in seconds. */
    bindTimeoutSeconds: z.number().positive().max(3600).default(180),
    /** S3 endpoint reachable from this machine (the object store's Route); default computed from the cluster. */
    externalEndpoint: httpUrl.optional(),
    /** existing-s3: endpoint URL (with scheme), bucket and region. */
    endpoint: httpUrl.optional(),
    bucket: bucketName.optional(),
    region: z.string().min(1).default('us-east-1'),
    /** existing-s3: the Secret (in the project) holding the keys. */
    secretName: objectName.default('models-s3'),
  })
  .superRefine((v, ctx) => {
    if (v.mode !== 'existing-s3') return;
    if (!v.endpoint) ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'existing S3 needs the endpoint URL (with https://)' });
    if (!v.bucket) ctx.addIssue({ code: 'custom', path: ['bucket'], message: 'existing S3 needs the bucket name' });
  });
/** The storage step's parsed, non-secret inputs. */
export type StorageInputs = z.infer<typeof storageInputs>;

/** Secret inputs (existing-s3 only): kept in memory and in the Secret in the project, nowhere else. */
export const storageSecrets = z.object({
  accessKeyId: z.string().min(1).optional(),
  secretAccessKey: z.string().min(1).optional(),
});

/** The project namespace: the project step's output, else the default `llm-hosting`. */
export function projectNamespace(ctx: DefaultsContext): string {
  const ns = ctx.outputs('project')?.['namespace'];
  return typeof ns === 'string' && ns !== '' ? ns : DEFAULT_NAMESPACES.project;
}

/** Defaults from preflight: mode `obc` with its preferred bucket class, or `existing-s3` when there is none (C2). */
export function storageDefaults(ctx: DefaultsContext): Partial<StorageInputs> {
  const facts = preflightFacts(ctx);
  if (!facts) return {};
  if (facts.bucketClass) return { mode: 'obc', storageClass: facts.bucketClass };
  return { mode: 'existing-s3' };
}

/** The form. Class choices are the bucket classes preflight found (never one that does not exist). */
export const storageFields: InputField[] = [
  {
    key: 'mode',
    label: 'Object storage',
    help: 'An ObjectBucketClaim on OpenShift Data Foundation (Ceph RGW or NooBaa), or an S3 bucket you already have.',
    kind: 'select',
    choices: (ctx) => {
      const classes = preflightFacts(ctx)?.bucketClasses ?? [];
      return [
        { value: 'obc', label: 'ObjectBucketClaim', hint: classes.length > 0 ? `classes: ${classes.map((c) => c.name).join(', ')}` : 'no bucket class found: install ODF with the Multicloud Object Gateway (NooBaa)' },
        { value: 'existing-s3', label: 'Existing S3 bucket', hint: 'endpoint, bucket, region and keys' },
      ];
    },
  },
  {
    key: 'storageClass',
    label: 'Bucket StorageClass',
    help: 'The class of the ObjectBucketClaim. Ceph RGW (ocs-storagecluster-ceph-rgw) or NooBaa (openshift-storage.noobaa.io).',
    kind: 'select',
    when: (v) => v['mode'] !== 'existing-s3',
    choices: (ctx) => (preflightFacts(ctx)?.bucketClasses ?? []).map((c) => ({ value: c.name, label: c.name, hint: c.provisioner })),
  },
  { key: 'claimName', label: 'Claim name', help: 'Name of the ObjectBucketClaim, its ConfigMap and Secret; also the bucket name prefix.', kind: 'text', when: (v) => v['mode'] !== 'existing-s3' },
  { key: 'bindTimeoutSeconds', label: 'Wait for Bound (seconds)', help: 'After this long a Pending claim is diagnosed instead of awaited.', kind: 'number', when: (v) => v['mode'] !== 'existing-s3' },
  { key: 'externalEndpoint', label: 'S3 endpoint from this machine', help: 'The object store Route (e.g. https://s3-openshift-storage.apps.example.com); found in the cluster when empty.', kind: 'text', when: (v) => v['mode'] !== 'existing-s3' },
  { key: 'endpoint', label: 'S3 endpoint URL', help: 'existing S3 only, with the scheme, e.g. https://s3.eu-west-1.amazonaws.com', kind: 'text', when: (v) => v['mode'] === 'existing-s3' },
  { key: 'bucket', label: 'Bucket', help: 'existing S3 only', kind: 'text', when: (v) => v['mode'] === 'existing-s3' },
  { key: 'region', label: 'Region', help: 'existing S3 only (us-east-1 for most on-premises stores)', kind: 'text', when: (v) => v['mode'] === 'existing-s3' },
  { key: 'secretName', label: 'Secret for the keys', help: 'existing S3 only: the Secret in the project that keeps the access key and secret key.', kind: 'text', when: (v) => v['mode'] === 'existing-s3' },
  { key: 'accessKeyId', label: 'Access key', kind: 'secret', env: 'AWS_ACCESS_KEY_ID', when: (v) => v['mode'] === 'existing-s3' },
  { key: 'secretAccessKey', label: 'Secret key', kind: 'secret', env: 'AWS_SECRET_ACCESS_KEY', when: (v) => v['mode'] === 'existing-s3' },
];
