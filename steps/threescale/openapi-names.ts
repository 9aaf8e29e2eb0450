/**
 * The names 3scale gets for an OpenAPI operation: method `system_name` and `friendly_name`, and
 * the mapping rule pattern (STAGES.md §8: "Mapping rules match from the start of the path; a
 * trailing `$` anchors the end; `{name}` matches one segment").
 */

/**
 * A 3scale method system name: lower-case, every run of characters outside `[a-z0-9_]` becomes
 * one `_`, leading/trailing `_` dropped. `hits` (the product's own metric, created with every
 * product) becomes `hits_method`; an empty result becomes `operation`.
 */
export function toSystemName(raw: string): string {
  const name = raw.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+|_+$/g, '');
  if (name === '') return 'operation';
  if (name === 'hits') return 'hits_method';
  return name;
}

/** System name of an operation: from its operationId when there is one, else `<method>_<path>` (e.g. `post_v1_chat_completions`). */
export function operationSystemName(method: string, path: string, operationId: string | undefined): string {
  if (operationId && toSystemName(operationId) !== 'operation') return toSystemName(operationId);
  const fromPath = toSystemName(path);
  return toSystemName(`${method}_${fromPath === 'operation' ? 'root' : fromPath}`);
}

/** Friendly name of an operation: its `summary`, else its operationId, else `METHOD path`; at most 255 characters (3scale `friendly_name` column). */
export function operationFriendlyName(method: string, path: string, summary: string | undefined, operationId: string | undefined): string {
  const text = summary?.trim() || operationId?.trim() || `${method} ${path}`;
  return text.replace(/\s+/g, ' ').slice(0, 255);
}

/** The mapping rule pattern of a path: the path as it is (`{param}` kept), anchored with a trailing `$`. */
export function rulePattern(path: string): string {
  return path.endsWith('$') ? path : `${path}$`;
}

/**
 * Makes a name unique against `taken` (which it updates): the name itself, else `name<sep>2`,
 * `name<sep>3`, … (`_2` for system names, ` (2)` for friendly names via `format`).
 */
export function uniqueName(name: string, taken: Set<string>, format: (name: string, n: number) => string): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = format(name, n);
  taken.add(candidate);
  return candidate;
}
