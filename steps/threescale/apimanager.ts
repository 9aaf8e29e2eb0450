/**
 * Step `threescale.apimanager` (STAGES.md §7): the APIManager `apimanager`
 * (`apps.3scale.net/v1alpha1`) with `wildcardDomain` from preflight, `tenantName: maas`,
 * `resourceRequirementsEnabled: false`, system file storage on a ReadWriteMany class
 * (`system.fileStorage.persistentVolumeClaim.storageClassName`) or on S3
 * (`system.fileStorage.simpleStorageService.configurationSecretRef`, C9), and
 * `externalComponents` when the databases are external (2.16+). Waits for `Available`, naming the
 * Deployments not ready yet; outputs the portal URLs found from Routes by host (C10) and the name
 * of the credentials Secret `system-seed`. The Bearer mode of the products (STAGES.md §8) is chosen
 * here: `remove-bearer` also writes Secret `cp-bearer`, the CustomPolicyDefinition `remove-bearer`
 * and the APIManager `apicast.{stagingSpec,productionSpec}.customPolicies` entries
 * (product-bearer.ts, custom-policy.ts).
 */
import { z } from 'zod';
import { SEED_SECRET, routeUrl, tenantHosts } from '../../src/cluster/threescale/connect.js';
import type { Services } from '../../src/cluster/services.js';
import { InputError, UserError } from '../../src/engine/errors.js';
import type { Change, KubeObject, Step, StepContext } from '../../src/engine/types.js';
import { assertNotBlocked, preflightFacts } from '../preflight-facts.js';
import { diagnoseApiManager, probeApiManager } from './apimanager-status.js';
import { apiManagerCustomPolicies } from './custom-policy.js';
import { BEARER_MODE_CHOICES, customPolicyChanges, writeCustomPolicyChange } from './product-bearer.js';
import type { BearerMode } from './product-bearer.js';
import type { TenantRouteHosts } from './apimanager-status.js';
import { KINDS, fieldDiff, operatorOf, redactedSecret, secretManifest, writeManifest } from './shared.js';
import type { ThreescaleApiManagerOutputs, ThreescaleDatabasesOutputs } from './shared.js';

/** Inputs. `fileStorage` `pvc` needs a ReadWriteMany `storageClass`; `s3` reads Secret `s3Secret` (created from the S3 inputs when absent). */
export const apiManagerInputs = z.object({
  name: z.string().min(1).default('apimanager'),
  tenantName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).default('maas'),
  wildcardDomain: z.string().default(''),
  fileStorage: z.enum(['pvc', 's3']).default('pvc'),
  storageClass: z.string().default(''),
  s3Secret: z.string().min(1).default('s3-filestorage'),
  s3Bucket: z.string().default(''),
  s3Region: z.string().default('us-east-1'),
  s3Endpoint: z.string().default(''),
  /** How APIcast reads the API key of every product (STAGES.md §8): `authorization` or `remove-bearer`. */
  bearerMode: z.enum(['authorization', 'remove-bearer']).default('authorization'),
});
type Inputs = z.infer<typeof apiManagerInputs>;

/** Secret inputs for S3 file storage (only needed when Secret `s3Secret` does not exist yet). */
export const apiManagerSecrets = z.object({ s3AccessKeyId: z.string().optional(), s3SecretAccessKey: z.string().optional() }) as unknown as z.ZodType<Record<string, string>>;

/** Outputs of this step: ThreescaleApiManagerOutputs plus the Bearer mode the product steps read. */
export type ThreescaleApiManagerStepOutputs = ThreescaleApiManagerOutputs & { bearerMode: BearerMode };

/** Milliseconds the APIManager may take to become Available (typically 6–10 minutes, SIMULATOR.md). */
export const APIMANAGER_TIMEOUT_MS = 25 * 60_000;

function domainOf(ctx: StepContext<Inputs, Services>): string {
  const d = ctx.inputs.wildcardDomain || preflightFacts(ctx)?.domain || ctx.services.cluster.domain || '';
  if (!d) throw new InputError('threescale.apimanager.wildcardDomain', 'the wildcard domain of the routes is not known', 'give it (e.g. apps.example.com: `oc get ingresses.config/cluster -o jsonpath={.spec.domain}`)');
  return d;
}

/** Hosts of the tenant's Routes (zync: `<tenant>-admin.<domain>`, `<tenant>.<domain>`, `api-<tenant>-apicast-production.<domain>`). */
function routeHosts(ctx: StepContext<Inputs, Services>): TenantRouteHosts {
  const domain = domainOf(ctx);
  const t = tenantHosts(ctx.inputs.tenantName, domain);
  return { admin: t.admin, developer: t.developer, sampleGateway: `api-${ctx.inputs.tenantName}-apicast-production.${domain}` };
}

function databasesOf(ctx: StepContext<Inputs, Services>): ThreescaleDatabasesOutputs | undefined {
  return ctx.outputs('threescale.databases') as ThreescaleDatabasesOutputs | undefined;
}

/**
 * The spec (without nulls) and the merge patch (nulls remove the other file storage kind and, with
 * `dropCustom`, the custom policy references of an earlier `remove-bearer` choice).
 */
function specOf(ctx: StepContext<Inputs, Services>, domain: string, dropCustom = false): { spec: Record<string, unknown>; patch: Record<string, unknown> } {
  const i = ctx.inputs;
  const fs = i.fileStorage === 's3'
    ? { simpleStorageService: { configurationSecretRef: { name: i.s3Secret } } }
    : { persistentVolumeClaim: i.storageClass ? { storageClassName: i.storageClass } : {} };
  const external = databasesOf(ctx)?.external === true;
  const custom = i.bearerMode === 'remove-bearer' ? { apicast: { stagingSpec: { customPolicies: apiManagerCustomPolicies() }, productionSpec: { customPolicies: apiManagerCustomPolicies() } } } : {};
  const spec: Record<string, unknown> = {
    wildcardDomain: domain,
    tenantName: i.tenantName,
    resourceRequirementsEnabled: false,
    system: { fileStorage: fs },
    ...(external ? { externalComponents: { backend: { redis: true }, system: { redis: true, database: true } } } : {}),
    ...custom,
  };
  const other = i.fileStorage === 's3' ? { persistentVolumeClaim: null } : { simpleStorageService: null };
  // Back to `authorization`: the custom policy references go (the Secret and definition stay, unused).
  const noCustom = dropCustom && i.bearerMode !== 'remove-bearer' ? { apicast: { stagingSpec: { customPolicies: null }, productionSpec: { customPolicies: null } } } : {};
  return { spec, patch: { ...noCustom, ...spec, system: { fileStorage: { ...fs, ...other } } } };
}

/** S3 Secret keys 3scale reads (3scale-operator docs "S3 file storage"). */
function s3Values(ctx: StepContext<Inputs, Services>): Record<string, string> {
  const i = ctx.inputs;
  const missing = [!i.s3Bucket && 's3Bucket', !ctx.secrets['s3AccessKeyId'] && 's3AccessKeyId', !ctx.secrets['s3SecretAccessKey'] && 's3SecretAccessKey'].filter(Boolean);
  if (missing.length > 0) {
    throw new InputError(`threescale.apimanager.${String(missing[0])}`, `S3 file storage needs ${missing.join(', ')} (Secret ${i.s3Secret} does not exist yet)`, `give the bucket and its keys, or create Secret ${i.s3Secret} with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_BUCKET, AWS_REGION`);
  }
  return {
    AWS_ACCESS_KEY_ID: ctx.secrets['s3AccessKeyId'] ?? '',
    AWS_SECRET_ACCESS_KEY: ctx.secrets['s3SecretAccessKey'] ?? '',
    AWS_BUCKET: i.s3Bucket,
    AWS_REGION: i.s3Region,
    ...(i.s3Endpoint ? { AWS_HOSTNAME: i.s3Endpoint.replace(/^https?:\/\//, ''), AWS_PROTOCOL: i.s3Endpoint.startsWith('http://') ? 'HTTP' : 'HTTPS', AWS_PATH_STYLE: 'true' } : {}),
  };
}

/** Custom policy references the APIManager has (staging and production), for the switch back to `authorization`. */
function customPoliciesOf(am: KubeObject | undefined): unknown[] {
  const apicast = (am?.['spec'] as { apicast?: Record<string, { customPolicies?: unknown[] } | undefined> } | undefined)?.apicast;
  return [...(apicast?.['stagingSpec']?.customPolicies ?? []), ...(apicast?.['productionSpec']?.customPolicies ?? [])];
}

/** The `threescale.apimanager` step. */
export const threescaleApiManagerStep: Step<Inputs, ThreescaleApiManagerStepOutputs, Services> = {
  id: 'threescale.apimanager',
  stage: '3scale',
  title: 'Deploy 3scale (APIManager)',
  needs: ['threescale.operator', 'threescale.databases'],
  inputs: apiManagerInputs,
  secrets: apiManagerSecrets,
  fields: [
    { key: 'tenantName', label: 'Tenant name', kind: 'text', help: 'Names the portals: <tenant>-admin.<domain> (admin) and <tenant>.<domain> (developers).' },
    { key: 'wildcardDomain', label: 'Wildcard domain', kind: 'text', help: 'Read from the cluster by preflight; change only if routes use another domain.' },
    {
      key: 'fileStorage',
      label: 'System file storage',
      kind: 'select',
      help: '3scale keeps portal files on a ReadWriteMany volume; without such a StorageClass use S3, or the system-storage PVC stays Pending and 3scale never becomes Available.',
      choices: (ctx) => {
        const rwx = preflightFacts(ctx)?.rwxClass;
        return [
          { value: 'pvc', label: 'ReadWriteMany volume', ...(rwx ? { hint: rwx } : { hint: 'no ReadWriteMany class found' }) },
          { value: 's3', label: 'S3 bucket' },
        ];
      },
    },
    { key: 'storageClass', label: 'ReadWriteMany StorageClass', kind: 'select', when: (v) => v['fileStorage'] !== 's3', choices: (ctx) => (preflightFacts(ctx)?.rwxClasses ?? []).map((c) => ({ value: c.name, label: c.name, hint: c.provisioner })) },
    { key: 's3Secret', label: 'Secret with the S3 settings', kind: 'text', when: (v) => v['fileStorage'] === 's3' },
    { key: 's3Bucket', label: 'S3 bucket', kind: 'text', when: (v) => v['fileStorage'] === 's3' },
    { key: 's3Region', label: 'S3 region', kind: 'text', when: (v) => v['fileStorage'] === 's3' },
    { key: 's3Endpoint', label: 'S3 endpoint (empty: AWS)', kind: 'text', when: (v) => v['fileStorage'] === 's3' },
    { key: 's3AccessKeyId', label: 'S3 access key id', kind: 'secret', when: (v) => v['fileStorage'] === 's3' },
    { key: 's3SecretAccessKey', label: 'S3 secret access key', kind: 'secret', when: (v) => v['fileStorage'] === 's3' },
    {
      key: 'bearerMode',
      label: 'How the gateways read API keys',
      kind: 'select',
      help: 'authorization (default): APIcast takes the key from "Authorization: Bearer <key>" itself. remove-bearer (as in the guide): APIcast reads the raw Authorization header and a custom policy strips "Bearer " first; this adds Secret cp-bearer and a CustomPolicyDefinition.',
      choices: () => BEARER_MODE_CHOICES.map((c) => ({ ...c })),
    },
  ],
  defaults(ctx) {
    const facts = preflightFacts(ctx);
    if (!facts) return {};
    return { ...(facts.domain ? { wildcardDomain: facts.domain } : {}), fileStorage: facts.rwxClass ? 'pvc' : 's3', storageClass: facts.rwxClass ?? '' };
  },
  async plan(ctx) {
    assertNotBlocked(ctx, '3scale');
    const ns = operatorOf(ctx).namespace;
    const domain = domainOf(ctx);
    const { kube } = ctx.services;
    const i = ctx.inputs;
    const changes: Change[] = [];
    if (i.fileStorage === 's3') {
      const existing = await kube.get(KINDS.secret.apiVersion, KINDS.secret.kind, i.s3Secret, ns);
      const target = `Secret ${ns}/${i.s3Secret}`;
      if (existing) changes.push({ action: 'none', target, note: 'exists; used as it is' });
      else {
        const values = s3Values(ctx);
        const shown = (k: string): string => (k === 'AWS_ACCESS_KEY_ID' || k === 'AWS_SECRET_ACCESS_KEY' ? `<from secret input>` : (values[k] ?? ''));
        changes.push({ action: 'create', target, manifest: redactedSecret(secretManifest(ns, i.s3Secret, values), shown) });
      }
    }
    if (i.bearerMode === 'remove-bearer') changes.push(...(await customPolicyChanges(kube, ns)));
    const { spec } = specOf(ctx, domain);
    const manifest: KubeObject = { ...KINDS.apiManager, metadata: { name: i.name, namespace: ns }, spec };
    const current = await kube.get(KINDS.apiManager.apiVersion, KINDS.apiManager.kind, i.name, ns);
    const target = `APIManager ${ns}/${i.name}`;
    const rwx = preflightFacts(ctx)?.rwxClasses;
    const note = i.fileStorage === 'pvc' && rwx && !rwx.some((c) => c.name === i.storageClass)
      ? `warning: ${i.storageClass || 'the default class'} is not a ReadWriteMany class preflight found; the system-storage PVC may stay Pending (C9)`
      : undefined;
    if (!current) changes.push({ action: 'create', target, manifest, ...(note ? { note } : {}) });
    else {
      const diff = fieldDiff(current as Record<string, unknown>, { spec });
      const stale = i.bearerMode !== 'remove-bearer' ? customPoliciesOf(current) : [];
      if (stale.length > 0) diff.push({ path: 'spec.apicast.*.customPolicies', from: stale, to: null });
      changes.push(diff.length === 0 ? { action: 'none', target } : { action: 'update', target, manifest, diff, ...(note ? { note } : {}) });
    }
    return changes;
  },
  async apply(ctx, plan) {
    const ns = operatorOf(ctx).namespace;
    const { kube } = ctx.services;
    const i = ctx.inputs;
    for (const c of plan) {
      if (c.action === 'none') continue;
      if (c.manifest?.kind === 'Secret' && c.manifest.metadata.name === i.s3Secret) await writeManifest(kube, c, secretManifest(ns, i.s3Secret, s3Values(ctx)));
      else if (c.manifest && c.manifest.kind !== KINDS.apiManager.kind) await writeCustomPolicyChange(kube, c);
      else if (c.action === 'create') await writeManifest(kube, c);
      else {
        const current = await kube.get(KINDS.apiManager.apiVersion, KINDS.apiManager.kind, i.name, ns);
        await kube.mergePatch({ ...KINDS.apiManager, name: i.name, namespace: ns }, { spec: specOf(ctx, domainOf(ctx), customPoliciesOf(current).length > 0).patch });
      }
    }
    const watch = async (wake: () => void): Promise<() => void> => {
      const stops = await Promise.all([
        kube.watchObjects({ ...KINDS.apiManager, namespace: ns, name: i.name }, () => wake()),
        kube.watchObjects({ ...KINDS.pvc, namespace: ns }, () => wake()),
      ]);
      return () => stops.forEach((s) => s());
    };
    await ctx.waitFor(() => probeApiManager(kube, ns, i.name, i.fileStorage === 'pvc', routeHosts(ctx)), { what: `APIManager ${ns}/${i.name} (condition Available)`, timeoutMs: APIMANAGER_TIMEOUT_MS, intervalMs: 1000, maxIntervalMs: 15_000, watch });
  },
  async verify(ctx) {
    const ns = operatorOf(ctx).namespace;
    const { kube } = ctx.services;
    const i = ctx.inputs;
    const r = await probeApiManager(kube, ns, i.name, i.fileStorage === 'pvc', routeHosts(ctx));
    if (r.state !== 'done') {
      throw new UserError('3scale.not-available', `APIManager ${ns}/${i.name} is not Available: ${r.state === 'failed' ? r.reason : r.currently}`, { fix: r.state === 'failed' && r.fix ? r.fix : `check \`oc get apimanager ${i.name} -n ${ns} -o yaml\`` });
    }
    const domain = domainOf(ctx);
    const hosts = tenantHosts(i.tenantName, domain);
    const [adminUrl, developerUrl] = await Promise.all([routeUrl(kube, ns, hosts.admin), routeUrl(kube, ns, hosts.developer)]);
    if (!adminUrl || !developerUrl) {
      throw new UserError('3scale.routes-missing', `no Route in ${ns} with host ${!adminUrl ? hosts.admin : hosts.developer} (zync creates the portal Routes once the tenant exists)`, { fix: `check \`oc get routes -n ${ns}\` and the zync-que Deployment's log` });
    }
    if (i.bearerMode === 'remove-bearer') {
      const left = (await customPolicyChanges(kube, ns)).filter((c) => c.action !== 'none');
      const am = await kube.get(KINDS.apiManager.apiVersion, KINDS.apiManager.kind, i.name, ns);
      if (left.length > 0 || customPoliciesOf(am).length === 0) {
        throw new UserError('3scale.custom-policy-missing', `the remove-bearer custom policy is not in place: ${left.map((c) => c.target).join(', ') || `APIManager ${ns}/${i.name} has no customPolicies entries`}`, { fix: 'run `maas-wizard retry threescale.apimanager`' });
      }
    }
    return { namespace: ns, apiManager: i.name, tenantName: i.tenantName, domain, adminUrl, developerUrl, credentialsSecret: SEED_SECRET, fileStorage: i.fileStorage, bearerMode: i.bearerMode };
  },
  async diagnose(ctx) {
    const ns = operatorOf(ctx).namespace;
    return diagnoseApiManager(ctx.services.kube, ns, ctx.inputs.name, ctx.inputs.fileStorage === 'pvc', preflightFacts(ctx)?.rwxClass);
  },
  explain: {
    what: 'Creates the APIManager that deploys 3scale (about 12 to 15 Deployments), waits until it is Available, and reads the admin and developer portal URLs from their Routes.',
    why: '3scale is the API gateway, key management and developer portal in front of the models. Its system component needs ReadWriteMany file storage (or S3).',
    commands: [
      'oc apply -f - <<EOF\napiVersion: apps.3scale.net/v1alpha1\nkind: APIManager\nmetadata: {name: apimanager, namespace: 3scale}\nspec:\n  wildcardDomain: apps.example.com\n  tenantName: maas\n  resourceRequirementsEnabled: false\n  system: {fileStorage: {persistentVolumeClaim: {storageClassName: ocs-storagecluster-cephfs}}}\nEOF',
      'oc wait apimanager/apimanager -n 3scale --for=condition=Available --timeout=20m',
      'oc get routes -n 3scale -o custom-columns=HOST:.spec.host',
    ],
  },
};
