/**
 * The real contracts in ../shared/reference (CRD schemas, API specs), read at run time by the
 * tests that check against them. They are never copied into the project: when the folder is
 * absent, those tests skip with the printed reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** `../shared/reference` beside the project root. */
export const REFERENCE_DIR = path.resolve(import.meta.dirname, '../..', '../shared/reference');

/** True when the reference folder is there; prints the skip reason once per calling file when not. */
export function hasReference(): boolean {
  const has = existsSync(REFERENCE_DIR);
  if (!has) console.warn('skipped: ../shared/reference absent');
  return has;
}

/** Drops the Kubernetes-only keywords (`x-kubernetes-*`) and null values ajv does not know. */
export function cleanSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(cleanSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([k, v]) => !k.startsWith('x-kubernetes-') && v !== null)
      .map(([k, v]) => [k, cleanSchema(v)]),
  );
}

/**
 * The `openAPIV3Schema` of one version of a CRD file in `crds/`, cleaned for ajv; with
 * `statusOnly`, only its `status` part (the spec schemas of CSV, InferenceService and APIManager
 * are slow to compile).
 * @throws Error when the file has no schema for that version.
 */
export function crdSchema(file: string, version: string, options: { statusOnly?: boolean } = {}): unknown {
  for (const doc of parseAllDocuments(readFileSync(path.join(REFERENCE_DIR, 'crds', file), 'utf8'))) {
    const crd = doc.toJSON() as { spec?: { versions?: { name: string; schema?: { openAPIV3Schema?: { properties?: { status?: unknown } } } }[] } } | null;
    const full = crd?.spec?.versions?.find((v) => v.name === version)?.schema?.openAPIV3Schema;
    if (full) return cleanSchema(options.statusOnly ? { type: 'object', properties: { status: full.properties?.status ?? {} } } : full);
  }
  throw new Error(`no ${version} schema in ${file}`);
}
