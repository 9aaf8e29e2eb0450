/**
 * Stage 3, data connection (STAGES.md §3; FIELD-CASES C3): Secret `aws-connection-models` in the
 * project, the way the OpenShift AI dashboard writes an S3 connection:
 * - labels `opendatahub.io/dashboard: "true"` (OpenShift AI copies only labelled connections into
 *   `storage-config`; without it serving fails with the storage key missing) and
 *   `opendatahub.io/managed: "true"` (the controller that fills `storage-config` reacts only to
 *   managed Secrets);
 * - annotations `opendatahub.io/connection-type: s3`, `opendatahub.io/connection-type-ref: s3`,
 *   `openshift.io/display-name: models`;
 * - keys `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (copied from the storage Secret at apply
 *   time, never stored locally), `AWS_S3_ENDPOINT`, `AWS_S3_BUCKET`, `AWS_DEFAULT_REGION`.
 * An existing Secret with a label missing or "false" is fixed (merge patch). Verify reads the
 * keys back and sends an S3 HeadBucket with them through the HTTP layer.
 */
import { z } from 'zod';
import { createS3Client, headBucket } from '../../src/cluster/s3.js';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { Change, FieldDiff, KubeObject, Step, StepContext } from '../../src/engine/types.js';
import { HIDDEN } from './existing-s3.js';
import { projectNamespace } from './inputs.js';
import { decodeSecret, resolveSecretManifest, secretRef } from './refs.js';
import type { StorageOutputs } from './step.js';

/** Labels of a data connection (STAGES.md §3). */
export const CONNECTION_LABELS: Readonly<Record<string, string>> = { 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' };
/** The keys of an S3 data connection, in the dashboard's order. */
export const CONNECTION_KEYS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_S3_ENDPOINT', 'AWS_S3_BUCKET', 'AWS_DEFAULT_REGION'] as const;
const SECRET_KEYS = new Set(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']);

/** Inputs: the Secret name (the storage key InferenceServices use) and its display name. */
export const dataConnectionInputs = z.object({
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a lowercase RFC 1123 name' }).max(253).default('aws-connection-models'),
  displayName: z.string().min(1).default('models'),
});
type Inputs = z.infer<typeof dataConnectionInputs>;

/** Outputs: the connection's name (= `storage.key` of InferenceServices) and the bucket. */
export interface DataConnectionOutputs {
  name: string;
  namespace: string;
  bucket: string;
  endpoint: string;
}

type Ctx = StepContext<Inputs, Services>;

/** The storage step's outputs. @throws UserError when the storage step has not run. */
export function storageOutputs(ctx: { outputs(id: string): Readonly<Record<string, unknown>> | undefined }): StorageOutputs {
  const out = ctx.outputs('storage') as StorageOutputs | undefined;
  if (!out) throw new UserError('storage.not-done', 'the storage step has not run', { fix: 'run the storage step first' });
  return out;
}

/** The connection manifest; key values as references to the storage Secret. */
export function connectionManifest(ns: string, inputs: Inputs, storage: StorageOutputs): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: {
      name: inputs.name, namespace: ns, labels: { ...CONNECTION_LABELS },
      annotations: { 'opendatahub.io/connection-type': 's3', 'opendatahub.io/connection-type-ref': 's3', 'openshift.io/display-name': inputs.displayName },
    },
    stringData: {
      AWS_ACCESS_KEY_ID: secretRef(storage.secretName, 'AWS_ACCESS_KEY_ID'),
      AWS_SECRET_ACCESS_KEY: secretRef(storage.secretName, 'AWS_SECRET_ACCESS_KEY'),
      AWS_S3_ENDPOINT: storage.endpoint,
      AWS_S3_BUCKET: storage.bucket,
      AWS_DEFAULT_REGION: storage.region,
    },
  };
}

async function readSecretData(ctx: Ctx, ns: string, name: string): Promise<Record<string, string> | undefined> {
  return decodeSecret(await ctx.services.kube.get('v1', 'Secret', name, ns));
}

/** Field diffs between the Secret in the cluster and the wanted one; secret values shown as `<hidden>`. */
function connectionDiff(current: KubeObject, currentData: Record<string, string>, wanted: KubeObject, source: Record<string, string>): FieldDiff[] {
  const diff: FieldDiff[] = [];
  for (const [k, v] of Object.entries(wanted.metadata.labels ?? {})) if (current.metadata.labels?.[k] !== v) diff.push({ path: `metadata.labels.${k}`, from: current.metadata.labels?.[k], to: v });
  for (const [k, v] of Object.entries(wanted.metadata.annotations ?? {})) if (current.metadata.annotations?.[k] !== v) diff.push({ path: `metadata.annotations.${k}`, from: current.metadata.annotations?.[k], to: v });
  const wantedData = wanted['stringData'] as Record<string, string>;
  for (const k of CONNECTION_KEYS) {
    const want = SECRET_KEYS.has(k) ? source[k] : wantedData[k];
    if (currentData[k] === want) continue;
    diff.push(SECRET_KEYS.has(k) ? { path: `stringData.${k}`, from: currentData[k] === undefined ? undefined : HIDDEN, to: wantedData[k] } : { path: `stringData.${k}`, from: currentData[k], to: wantedData[k] });
  }
  return diff;
}

/** The data-connection step. */
export const dataConnectionStep: Step<Inputs, DataConnectionOutputs, Services> = {
  id: 'data-connection',
  stage: 'data-connection',
  title: 'Data connection for the bucket',
  needs: ['storage'],
  inputs: dataConnectionInputs,
  fields: [
    { key: 'name', label: 'Connection Secret', help: 'The storage key InferenceServices name (storage.key).', kind: 'text' },
    { key: 'displayName', label: 'Display name', help: 'Shown in the OpenShift AI dashboard.', kind: 'text' },
  ],
  async plan(ctx) {
    const ns = projectNamespace(ctx);
    const storage = storageOutputs(ctx);
    const wanted = connectionManifest(ns, ctx.inputs, storage);
    const target = `Secret ${ns}/${ctx.inputs.name}`;
    const current = await ctx.services.kube.get('v1', 'Secret', ctx.inputs.name, ns);
    if (!current) return [{ action: 'create', target, manifest: wanted, note: `keys copied from Secret ${storage.secretName} when applied` }];
    const source = (await readSecretData(ctx, ns, storage.secretName)) ?? {};
    const diff = connectionDiff(current, decodeSecret(current) ?? {}, wanted, source);
    if (diff.length === 0) return [{ action: 'none', target, note: 'exists with the labels, annotations and keys' }];
    const labelFix = diff.some((d) => d.path === 'metadata.labels.opendatahub.io/dashboard');
    return [{ action: 'update', target, manifest: wanted, diff, ...(labelFix ? { note: 'without opendatahub.io/dashboard: "true" OpenShift AI does not register the connection in storage-config (serving fails)' } : {}) }];
  },
  async apply(ctx, plan: Change[]) {
    const ns = projectNamespace(ctx);
    for (const change of plan) {
      if (change.action === 'none' || !change.manifest) continue;
      const real = await resolveSecretManifest(change.manifest, { inputs: {}, readSecret: (name) => readSecretData(ctx, ns, name) });
      if (change.action === 'create') await ctx.services.kube.create(real);
      else {
        await ctx.services.kube.mergePatch({ apiVersion: 'v1', kind: 'Secret', name: ctx.inputs.name, namespace: ns }, {
          metadata: { labels: real.metadata.labels, annotations: real.metadata.annotations },
          stringData: real['stringData'],
        });
      }
    }
  },
  async verify(ctx) {
    const ns = projectNamespace(ctx);
    const storage = storageOutputs(ctx);
    const name = ctx.inputs.name;
    const secret = await ctx.services.kube.get('v1', 'Secret', name, ns);
    if (!secret) throw new UserError('connection.missing', `Secret ${ns}/${name} does not exist`, { fix: 'run the data-connection step again' });
    const wrongLabels = Object.entries(CONNECTION_LABELS).filter(([k, v]) => secret.metadata.labels?.[k] !== v);
    if (wrongLabels.length > 0) {
      throw new UserError('connection.not-registered', `data connection ${name} is not registered: labels ${wrongLabels.map(([k]) => k).join(', ')} are not "true"`, {
        fix: `oc label secret ${name} -n ${ns} ${wrongLabels.map(([k, v]) => `${k}=${v}`).join(' ')} --overwrite`,
      });
    }
    const data = decodeSecret(secret) ?? {};
    const missing = CONNECTION_KEYS.filter((k) => !data[k]);
    if (missing.length > 0) throw new UserError('connection.keys', `data connection ${name} lacks ${missing.join(', ')}`, { fix: 'run the data-connection step again' });
    const client = createS3Client({ endpoint: storage.externalEndpoint, region: data['AWS_DEFAULT_REGION'] ?? storage.region, accessKeyId: data['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: data['AWS_SECRET_ACCESS_KEY'] ?? '', http: ctx.services.http });
    try {
      await headBucket(client, data['AWS_S3_BUCKET'] ?? storage.bucket, storage.externalEndpoint, ctx.signal);
    } finally {
      client.destroy();
    }
    return { name, namespace: ns, bucket: data['AWS_S3_BUCKET'] ?? storage.bucket, endpoint: data['AWS_S3_ENDPOINT'] ?? storage.endpoint };
  },
  explain: {
    what: 'Writes the S3 data connection (Secret aws-connection-models) that OpenShift AI and KServe use to read the models, and checks it with an S3 HeadBucket.',
    why: 'InferenceServices name it as storage.key; OpenShift AI copies it into storage-config only when it carries opendatahub.io/dashboard="true" and opendatahub.io/managed="true".',
    commands: [
      'oc create secret generic aws-connection-models -n llm-hosting --from-literal=AWS_ACCESS_KEY_ID="$(oc get secret models -n llm-hosting -o jsonpath={.data.AWS_ACCESS_KEY_ID} | base64 -d)" --from-literal=AWS_SECRET_ACCESS_KEY="$(oc get secret models -n llm-hosting -o jsonpath={.data.AWS_SECRET_ACCESS_KEY} | base64 -d)" --from-literal=AWS_S3_ENDPOINT=http://<BUCKET_HOST>:<BUCKET_PORT> --from-literal=AWS_S3_BUCKET=<BUCKET_NAME> --from-literal=AWS_DEFAULT_REGION=us-east-1',
      'oc label secret aws-connection-models -n llm-hosting opendatahub.io/dashboard=true opendatahub.io/managed=true --overwrite',
      'oc annotate secret aws-connection-models -n llm-hosting opendatahub.io/connection-type=s3 opendatahub.io/connection-type-ref=s3 openshift.io/display-name=models --overwrite',
      'aws s3api head-bucket --bucket <BUCKET_NAME> --endpoint-url https://s3-openshift-storage.<domain>',
    ],
  },
};
