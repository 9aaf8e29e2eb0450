/**
 * Turns the collected plans into the numbered entries of an export, in apply order (the order the
 * engine planned them): a manifest to apply, an object to delete, a Secret to create by hand
 * (never its values), or a call to an API (Keycloak admin API, 3scale Account Management API).
 * Several changes of one object (a ProjectRequest then the Namespace's labels) become one manifest,
 * at the place of the first, later fields merged over earlier ones.
 */
import type { ApiCall, Change, KubeObject, StepId } from '../../engine/types.js';
import type { PlannedStep } from './collect.js';

/** What every entry has: its number (1-based, apply order), the step and the Change's target. */
interface EntryBase {
  n: number;
  step: StepId;
  target: string;
  action: Change['action'];
  notes: string[];
}

/** A numbered piece of an export. `file` is relative to the export directory. */
export type ExportEntry =
  | (EntryBase & { kind: 'manifest'; file: string; manifest: KubeObject })
  | (EntryBase & { kind: 'delete'; manifest: KubeObject })
  | (EntryBase & { kind: 'secret'; manifest: KubeObject })
  | (EntryBase & { kind: 'call'; file?: string; call: ApiCall });

/** The folder (inside the export directory) of the call payloads, so `kubectl apply -f DIR` reads only manifests. */
export const CALLS_DIR = 'calls';

/** Metadata a server fills in; never part of a manifest to apply. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp'];

/**
 * The entries of an export, numbered from 1 in apply order. Changes with action `none` are left out.
 * A `project.openshift.io/v1` ProjectRequest becomes the Namespace it creates (a ProjectRequest
 * can only be created, never read, so `kubectl apply` refuses it), with its display name as the
 * `openshift.io/display-name` annotation.
 */
export function exportEntries(planned: readonly PlannedStep[]): ExportEntry[] {
  const entries: ExportEntry[] = [];
  const byObject = new Map<string, ExportEntry & { manifest: KubeObject }>();
  for (const { step, changes } of planned) {
    for (const change of changes) {
      if (change.action === 'none') continue;
      const notes = change.note ? [change.note] : [];
      if (change.manifest) {
        const { manifest, converted } = toApplicable(change.manifest);
        if (converted) notes.push(converted);
        const key = objectKey(manifest);
        const earlier = byObject.get(key);
        if (earlier && change.action !== 'delete' && earlier.kind !== 'delete') {
          earlier.manifest = deepMerge(earlier.manifest, manifest) as KubeObject;
          earlier.notes.push(...notes.map((n) => `${change.target}: ${n}`));
          continue;
        }
        const base = { n: entries.length + 1, step, target: change.target, action: change.action, notes };
        const entry: ExportEntry & { manifest: KubeObject } =
          change.action === 'delete'
            ? { ...base, kind: 'delete', manifest }
            : isSecret(manifest)
              ? { ...base, kind: 'secret', manifest }
              : { ...base, kind: 'manifest', file: '', manifest };
        entries.push(entry);
        byObject.set(key, entry);
      } else if (change.call) {
        entries.push({ n: entries.length + 1, step, target: change.target, action: change.action, notes, kind: 'call', call: change.call });
      }
    }
  }
  const width = Math.max(2, String(entries.length).length);
  for (const e of entries) {
    const nn = String(e.n).padStart(width, '0');
    if (e.kind === 'manifest') e.file = `${nn}-${slug(e.manifest.kind)}-${slug(e.manifest.metadata.name ?? 'unnamed')}.yaml`;
    if (e.kind === 'call' && e.call.body !== undefined) e.file = `${CALLS_DIR}/${nn}-${slug(e.call.service)}-${e.call.method.toLowerCase()}-${callSlug(e.call.path)}.json`;
  }
  return entries;
}

/** True for a core `v1` Secret. */
export function isSecret(m: KubeObject): boolean {
  return m.apiVersion === 'v1' && m.kind === 'Secret';
}

/** `apiVersion/kind/namespace/name`: one object. */
function objectKey(m: KubeObject): string {
  const kind = m.kind === 'ProjectRequest' ? 'Namespace' : m.kind;
  return `${kind}/${m.metadata.namespace ?? ''}/${m.metadata.name ?? ''}`;
}

/** A copy without server-filled metadata and status; a ProjectRequest turned into its Namespace. */
function toApplicable(m: KubeObject): { manifest: KubeObject; converted?: string } {
  if (m.apiVersion === 'project.openshift.io/v1' && m.kind === 'ProjectRequest') {
    const name = m.metadata.name ?? '';
    const display = typeof m['displayName'] === 'string' ? m['displayName'] : undefined;
    const manifest: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(display ? { annotations: { 'openshift.io/display-name': display } } : {}) } };
    return { manifest, converted: `written as the Namespace (kubectl cannot apply a ProjectRequest); without the right to create Namespaces run \`oc new-project ${name}\` first` };
  }
  const copy = structuredClone(m);
  delete copy['status'];
  for (const k of SERVER_METADATA) delete copy.metadata[k];
  return { manifest: copy };
}

/** `b` over `a`: maps merge key by key, anything else (arrays included) is replaced. */
function deepMerge(a: unknown, b: unknown): unknown {
  if (!isMap(a) || !isMap(b)) return structuredClone(b);
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? deepMerge(a[k], v) : structuredClone(v);
  return out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Lowercase letters, digits and `-` only, at most `max` characters. */
function slug(s: string, max = 40): string {
  const out = s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return out || 'x';
}

/** The part of an API path that says what a call is about (`/admin/api/services/3/proxy.json` → `services-3-proxy`). */
function callSlug(path: string): string {
  return slug(path.replace(/^\/auth\/admin\/realms\//, 'realms/').replace(/^\/admin\/api\//, '').replace(/\.json$/, ''), 50);
}
