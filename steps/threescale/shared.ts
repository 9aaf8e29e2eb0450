/**
 * What the 3scale steps (STAGES.md §7) share: the kinds they write, the OLM package, the outputs
 * each step hands to the next, the 3scale version of a channel, and small helpers (field diff,
 * Secret values, writing planned manifests).
 */
import { UserError } from '../../src/engine/errors.js';
import type { Change, DefaultsContext, FieldDiff, KubeObject } from '../../src/engine/types.js';
import { OLM_KINDS } from '../olm.js';

/** API versions of the kinds the 3scale stage writes or reads. */
export const KINDS = {
  ...OLM_KINDS,
  apiManager: { apiVersion: 'apps.3scale.net/v1alpha1', kind: 'APIManager' },
  deployment: { apiVersion: 'apps/v1', kind: 'Deployment' },
  service: { apiVersion: 'v1', kind: 'Service' },
  pvc: { apiVersion: 'v1', kind: 'PersistentVolumeClaim' },
  secret: { apiVersion: 'v1', kind: 'Secret' },
} as const;

/** The OLM package of the 3scale operator (channels `threescale-2.13` … `threescale-2.16` in redhat-operators). */
export const THREESCALE_PACKAGE = '3scale-operator';

/** Outputs of `threescale.operator`. */
export interface ThreescaleOperatorOutputs {
  namespace: string;
  /** Installed ClusterServiceVersion, e.g. `3scale-operator.v0.13.1`. */
  csv: string;
  channel: string;
  source: string;
  /** Minor version of 3scale 2.x from the channel (16 for `threescale-2.16`); undefined when the channel does not say. */
  minor?: number;
}

/** Outputs of `threescale.databases`: which components are external, and the Secrets that say where (names only). */
export interface ThreescaleDatabasesOutputs {
  namespace: string;
  /** True when backend Redis, system Redis and the system database are external (APIManager `externalComponents`). */
  external: boolean;
  /** `created` (Redis and PostgreSQL made by the wizard), `existing` (URLs given), `internal` (2.15 and older). */
  mode: 'created' | 'existing' | 'internal';
  /** Names of the Secrets the APIManager reads (`backend-redis`, `system-redis`, `system-database`). */
  secrets: string[];
}

/** Outputs of `threescale.apimanager`. No secret: the credentials stay in Secret `system-seed`. */
export interface ThreescaleApiManagerOutputs {
  namespace: string;
  apiManager: string;
  tenantName: string;
  domain: string;
  /** Admin portal, from the Route whose host is `<tenant>-admin.<domain>`. */
  adminUrl: string;
  /** Developer portal, from the Route whose host is `<tenant>.<domain>`. */
  developerUrl: string;
  /** Secret holding ADMIN_ACCESS_TOKEN, ADMIN_USER, ADMIN_PASSWORD, MASTER_* (its name, never its values). */
  credentialsSecret: string;
  /** `pvc` (ReadWriteMany class) or `s3`. */
  fileStorage: 'pvc' | 's3';
}

/** Minor version of 3scale 2.x a channel installs: `threescale-2.16` → 16; undefined when unknown. */
export function minorOfChannel(channel: string | undefined): number | undefined {
  const m = /^threescale-2\.(\d+)/.exec(channel ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Namespace and outputs of `threescale.operator`. @throws UserError `3scale.operator-unknown` when it has not finished. */
export function operatorOf(ctx: DefaultsContext): ThreescaleOperatorOutputs {
  const out = ctx.outputs('threescale.operator') as ThreescaleOperatorOutputs | undefined;
  if (!out?.namespace) {
    throw new UserError('3scale.operator-unknown', 'the 3scale operator step (threescale.operator) has not finished', { fix: 'run `maas-wizard retry threescale.operator` first' });
  }
  return out;
}

/** Outputs of `threescale.apimanager`. @throws UserError `3scale.apimanager-unknown` when it has not finished. */
export function apiManagerOf(ctx: DefaultsContext): ThreescaleApiManagerOutputs {
  const out = ctx.outputs('threescale.apimanager') as ThreescaleApiManagerOutputs | undefined;
  if (!out?.adminUrl) {
    throw new UserError('3scale.apimanager-unknown', 'the APIManager step (threescale.apimanager) has not finished', { fix: 'run `maas-wizard retry threescale.apimanager` first' });
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Fields of `wanted` whose value differs in `current` (objects compared key by key; keys the server adds are ignored). */
export function fieldDiff(current: Record<string, unknown> | undefined, wanted: Record<string, unknown>, prefix = ''): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const [k, to] of Object.entries(wanted)) {
    const from = current?.[k];
    if (to && typeof to === 'object' && !Array.isArray(to)) {
      out.push(...fieldDiff(from && typeof from === 'object' ? (from as Record<string, unknown>) : undefined, to as Record<string, unknown>, `${prefix}${k}.`));
    } else if (!same(from, to)) out.push({ path: `${prefix}${k}`, from, to });
  }
  return out;
}

/** A Change for one manifest: create when absent, update with the diff of `compare` when different, else none. */
export function manifestChange(current: KubeObject | undefined, wanted: KubeObject, compare: Record<string, unknown>, note?: string): Change {
  const target = `${wanted.kind} ${wanted.metadata.namespace ? `${wanted.metadata.namespace}/` : ''}${wanted.metadata.name ?? ''}`;
  const withNote = note ? { note } : {};
  if (!current) return { action: 'create', target, manifest: wanted, ...withNote };
  const diff = fieldDiff(current as Record<string, unknown>, compare);
  return diff.length === 0 ? { action: 'none', target, ...withNote } : { action: 'update', target, manifest: wanted, diff, ...withNote };
}

/** Creates (409 tolerated) or merge-patches the manifest of a planned change; see steps/olm.ts. */
export { writeManifest } from '../olm.js';

/** The decoded value of a Secret's key (base64 `data`, or `stringData`); undefined when absent. */
export function secretValue(secret: KubeObject | undefined, key: string): string | undefined {
  const data = (secret as { data?: Record<string, string> } | undefined)?.data?.[key];
  if (data !== undefined) return Buffer.from(data, 'base64').toString('utf8');
  return (secret as { stringData?: Record<string, string> } | undefined)?.stringData?.[key];
}

/** A Secret manifest (`stringData`) with its values. */
export function secretManifest(namespace: string, name: string, values: Record<string, string>, labels?: Record<string, string>): KubeObject {
  return { ...KINDS.secret, metadata: { name, namespace, ...(labels ? { labels } : {}) }, type: 'Opaque', stringData: values };
}

/** The same Secret with every value replaced by `placeholder(key)`: what a plan shows. */
export function redactedSecret(secret: KubeObject, placeholder: (key: string) => string): KubeObject {
  const values = (secret as { stringData?: Record<string, string> }).stringData ?? {};
  return { ...secret, stringData: Object.fromEntries(Object.keys(values).map((k) => [k, placeholder(k)])) };
}

/** RFC 1123 label check of a namespace name. */
export const RFC1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
