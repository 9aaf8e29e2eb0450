/**
 * Secrets in an export are never written with their values (issue #9 item 3): each planned Secret
 * becomes the `oc` commands that create it by hand, with a placeholder per key whose name may hold
 * a credential (the planned value for the others: a bucket name, a region). A key whose
 * planned value is a reference to another Secret's key (`<from Secret NAME key KEY>`,
 * steps/storage/refs.ts) gets the command that reads that key from the cluster instead.
 */
import type { KubeObject } from '../../engine/types.js';

/**
 * Keys whose values may be credentials (or URLs that can carry them): always a placeholder.
 * Any other key (a bucket name, a region, a user name) shows the planned value.
 */
const SECRET_LIKE = /secret|passw|token|key|credential|private|url|uri|dsn|cert/i;

/** `<from Secret NAME key KEY>` (steps/storage/refs.ts `secretRef`). */
const SECRET_REF = /^<from Secret (\S+) key (\S+)>$/;

/** The keys of a Secret manifest (`data` and `stringData`), sorted. */
export function secretKeys(m: KubeObject): string[] {
  const keys = new Set<string>();
  for (const field of ['data', 'stringData']) {
    const map = m[field];
    if (map && typeof map === 'object') for (const k of Object.keys(map)) keys.add(k);
  }
  return [...keys].sort();
}

/**
 * Shell commands that create the Secret `m` with placeholders, then label and annotate it as the
 * wizard would. No credential is copied: a key planned as a reference reads the referenced
 * Secret's key with `oc get secret … | base64 -d`; a key named like a credential or URL
 * (SECRET_LIKE) or holding text longer than one short line gets `<KEY>` to replace; other keys
 * keep their planned (non-secret) value.
 */
export function secretCommands(m: KubeObject): string[] {
  const name = m.metadata.name ?? '';
  const ns = m.metadata.namespace ? ` -n ${m.metadata.namespace}` : '';
  const type = typeof m['type'] === 'string' && m['type'] !== 'Opaque' ? ` --type=${m['type']}` : '';
  const planned: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(asMap(m['data'])).map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v, 'base64').toString('utf8') : v])),
    ...asMap(m['stringData']),
  };
  const literals = secretKeys(m).map((k) => {
    const v = planned[k];
    const ref = SECRET_REF.exec(String(v ?? ''));
    const value = ref
      ? `"$(oc get secret ${ref[1]}${ns} -o jsonpath='{.data.${ref[2]?.replace(/\./g, '\\.')}}' | base64 -d)"`
      : typeof v === 'string' && /^[^<\n]{1,200}$/.test(v) && !SECRET_LIKE.test(k)
        ? shellWord(v)
        : `'<${k}>'`;
    return ` \\\n    --from-literal=${k}=${value}`;
  });
  const lines = [`oc create secret generic ${name}${ns}${type}${literals.join('')}`];
  const labels = Object.entries(m.metadata.labels ?? {});
  if (labels.length > 0) lines.push(`oc label secret ${name}${ns} ${labels.map(([k, v]) => `${k}=${shellWord(v)}`).join(' ')} --overwrite`);
  const annotations = Object.entries(m.metadata.annotations ?? {});
  if (annotations.length > 0) lines.push(`oc annotate secret ${name}${ns} ${annotations.map(([k, v]) => `${k}=${shellWord(v)}`).join(' ')} --overwrite`);
  return lines;
}

/** `s` as one shell word: bare when safe, else single-quoted. */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function asMap(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
