/**
 * The `remove-bearer` APIcast custom policy (STAGES.md §8, Bearer mode `remove-bearer`): the files
 * this project ships in templates/policies/remove-bearer/ (apicast-policy.json, init.lua,
 * remove-bearer.lua), and the three things that make the 3scale operator load it:
 * - Secret `cp-bearer` in the 3scale namespace holding the files, labelled
 *   `apimanager.apps.3scale.net/watched-by: apimanager` (else the operator ignores changes);
 * - APIManager `spec.apicast.{stagingSpec,productionSpec}.customPolicies[]` entries
 *   `{name, version, secretRef: {name}}` (apps.3scale.net/v1alpha1 APIManager CRD);
 * - CustomPolicyDefinition `remove-bearer` (capabilities.3scale.net/v1beta1, `spec.name`,
 *   `spec.version`, `spec.schema` with required `$schema`, `name`, `summary`, `version`, `configuration`).
 * The policy chain entry's name must equal the customPolicies name (`remove-bearer`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BugError } from '../../src/engine/errors.js';
import type { KubeObject } from '../../src/engine/types.js';

/** Name and version of the policy (APIManager customPolicies, CustomPolicyDefinition, policy chain) and its Secret's name. */
export const REMOVE_BEARER = { name: 'remove-bearer', version: '0.1', secret: 'cp-bearer' } as const;

/** The files of the policy, as they go into the Secret (file name → text). */
export const REMOVE_BEARER_FILES = ['apicast-policy.json', 'init.lua', 'remove-bearer.lua'] as const;

/** The label the 3scale operator watches Secrets of custom policies by. */
export const WATCHED_BY_LABEL = { 'apimanager.apps.3scale.net/watched-by': 'apimanager' } as const;

/**
 * JSON Schema draft the CustomPolicyDefinition's `spec.schema.$schema` names (as in the 3scale
 * operator's CustomPolicyDefinition examples; the file in the Secret keeps APIcast's manifest id).
 */
export const CPD_SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

/** The APIcast policy manifest (apicast-policy.json) fields this project reads. */
export interface PolicyManifest {
  $schema: string;
  name: string;
  summary: string;
  description?: string | string[];
  version: string;
  configuration: Record<string, unknown>;
}

/** Finds `templates/policies/remove-bearer/` above this module (works from the sources and from dist/). */
export function removeBearerDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'templates', 'policies', REMOVE_BEARER.name);
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new BugError(`templates/policies/${REMOVE_BEARER.name} not found above steps/threescale`);
}

/**
 * The policy's files (file name → text), read from templates/policies/remove-bearer/.
 * @throws BugError when one is missing (they ship with the wizard).
 */
export function removeBearerFiles(): Record<(typeof REMOVE_BEARER_FILES)[number], string> {
  const dir = removeBearerDir();
  const read = (f: string): string => {
    try {
      return readFileSync(path.join(dir, f), 'utf8');
    } catch (err) {
      throw new BugError(`templates/policies/${REMOVE_BEARER.name}/${f} cannot be read`, { cause: err });
    }
  };
  return { 'apicast-policy.json': read('apicast-policy.json'), 'init.lua': read('init.lua'), 'remove-bearer.lua': read('remove-bearer.lua') };
}

/**
 * The policy manifest (apicast-policy.json), parsed.
 * @throws BugError when it is not JSON or lacks name, summary, version or configuration, or its
 *   version differs from REMOVE_BEARER.version.
 */
export function removeBearerManifest(): PolicyManifest {
  let m: Partial<PolicyManifest>;
  try {
    m = JSON.parse(removeBearerFiles()['apicast-policy.json']) as Partial<PolicyManifest>;
  } catch (err) {
    throw new BugError('templates/policies/remove-bearer/apicast-policy.json is not JSON', { cause: err });
  }
  const ok = typeof m.name === 'string' && typeof m.summary === 'string' && typeof m.$schema === 'string'
    && m.version === REMOVE_BEARER.version && typeof m.configuration === 'object' && m.configuration !== null;
  if (!ok) throw new BugError(`templates/policies/remove-bearer/apicast-policy.json lacks $schema/name/summary/configuration or its version is not ${REMOVE_BEARER.version}`);
  return m as PolicyManifest;
}

/**
 * Secret `cp-bearer` in the 3scale namespace: the three files as `stringData`, labelled
 * `apimanager.apps.3scale.net/watched-by: apimanager`. Note that a Secret read back from the
 * cluster has `data` (base64), not `stringData`.
 * @param namespace the 3scale namespace (e.g. `3scale`).
 */
export function customPolicySecret(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: REMOVE_BEARER.secret, namespace, labels: { ...WATCHED_BY_LABEL, 'app.kubernetes.io/managed-by': 'maas-wizard' } },
    type: 'Opaque',
    stringData: { ...removeBearerFiles() },
  };
}

/**
 * CustomPolicyDefinition `remove-bearer` (`capabilities.3scale.net/v1beta1`) in the 3scale
 * namespace: `spec.name`, `spec.version`, and `spec.schema` from apicast-policy.json (name,
 * summary, version, configuration) with `$schema` CPD_SCHEMA_DRAFT.
 * @param namespace the 3scale namespace (e.g. `3scale`).
 */
export function customPolicyDefinition(namespace: string): KubeObject {
  const m = removeBearerManifest();
  return {
    apiVersion: 'capabilities.3scale.net/v1beta1',
    kind: 'CustomPolicyDefinition',
    metadata: { name: REMOVE_BEARER.name, namespace, labels: { 'app.kubernetes.io/managed-by': 'maas-wizard' } },
    spec: {
      name: REMOVE_BEARER.name,
      version: REMOVE_BEARER.version,
      schema: { $schema: CPD_SCHEMA_DRAFT, name: m.name, summary: m.summary, version: m.version, configuration: m.configuration },
    },
  };
}

/** One entry of APIManager `spec.apicast.{stagingSpec,productionSpec}.customPolicies[]`. */
export interface CustomPolicyRef {
  name: string;
  version: string;
  secretRef: { name: string };
}

/**
 * The entries for APIManager `spec.apicast.stagingSpec.customPolicies` and
 * `productionSpec.customPolicies` (the same list for both): `remove-bearer` 0.1 from Secret `cp-bearer`.
 * A fresh array each call, safe to put in a manifest.
 */
export function apiManagerCustomPolicies(): CustomPolicyRef[] {
  return [{ name: REMOVE_BEARER.name, version: REMOVE_BEARER.version, secretRef: { name: REMOVE_BEARER.secret } }];
}
