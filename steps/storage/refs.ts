/**
 * Secret references in plans (engine/types.ts `Change`: "Secret values are replaced by
 * `<from Secret NAME>` references before a Change is built"). A planned Secret carries
 * `stringData` whose secret values are references; `apply` resolves them in memory just before
 * the write, so the plan shown and stored never holds a value and apply still writes exactly it.
 *
 * Reference forms:
 * - `<from Secret NAME key KEY>`: key KEY of Secret NAME in the step's namespace (read at apply time);
 * - `<from input KEY>`: the step's secret input KEY (memory only).
 */
import { UserError } from '../../src/engine/errors.js';
import type { KubeObject } from '../../src/engine/types.js';

/** Reference to a key of a Secret in the cluster. */
export function secretRef(secret: string, key: string): string {
  return `<from Secret ${secret} key ${key}>`;
}

/** Reference to a secret input of the step. */
export function inputRef(key: string): string {
  return `<from input ${key}>`;
}

/** How a resolver reads what references point at. */
export interface RefSources {
  /** Decoded data of a Secret in the namespace; undefined when it does not exist. */
  readSecret(name: string): Promise<Record<string, string> | undefined>;
  /** The step's secret inputs. */
  inputs: Readonly<Record<string, string>>;
}

const REF = /^<from (Secret (\S+) key (\S+)|input (\S+))>$/;

/** True when `value` is a reference. */
export function isRef(value: string): boolean {
  return REF.test(value);
}

/**
 * Resolves every reference of a Secret manifest's `stringData`, returning a copy (never mutating
 * the plan). Values that are not references stay as they are.
 * @throws UserError `secret.missing` when a referenced Secret, key or input is absent.
 */
export async function resolveSecretManifest(manifest: KubeObject, sources: RefSources): Promise<KubeObject> {
  const stringData = (manifest['stringData'] ?? {}) as Record<string, string>;
  const cache = new Map<string, Record<string, string> | undefined>();
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(stringData)) {
    const m = REF.exec(value);
    if (!m) {
      out[key] = value;
      continue;
    }
    if (m[4] !== undefined) {
      const v = sources.inputs[m[4]];
      if (!v) throw new UserError('secret.missing', `the secret input ${m[4]} is needed to write ${manifest.metadata.name ?? 'the Secret'} but was not given`, { fix: `enter ${m[4]} again (secret inputs are never stored)` });
      out[key] = v;
      continue;
    }
    const name = m[2] ?? '';
    const wanted = m[3] ?? '';
    if (!cache.has(name)) cache.set(name, await sources.readSecret(name));
    const v = cache.get(name)?.[wanted];
    if (v === undefined) {
      throw new UserError('secret.missing', `Secret ${name} has no key ${wanted}`, { fix: `check \`oc get secret ${name} -o jsonpath={.data}\` and run the step that writes it again` });
    }
    out[key] = v;
  }
  return { ...manifest, stringData: out };
}

/** The decoded `data` (base64) and `stringData` of a Secret object. */
export function decodeSecret(secret: KubeObject | undefined): Record<string, string> | undefined {
  if (!secret) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((secret['data'] ?? {}) as Record<string, string>)) out[k] = Buffer.from(v, 'base64').toString('utf8');
  for (const [k, v] of Object.entries((secret['stringData'] ?? {}) as Record<string, string>)) out[k] = v;
  return out;
}
