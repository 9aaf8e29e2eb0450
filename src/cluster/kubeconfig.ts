/**
 * Kubeconfig resolution exactly like kubectl/oc (STAGES.md §0 "Connection"):
 * `--kubeconfig FILE`, else `KUBECONFIG` (a list separated by `path.delimiter`, merged the way
 * client-go's loading rules merge it), else `~/.kube/config`; `--context`, else `current-context`.
 *
 * client-node's own `loadFromDefault` does not merge like kubectl (the last file's
 * current-context wins and duplicate names throw), so the files are parsed with `yaml`, merged
 * here and handed to `KubeConfig.loadFromString`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { UserError } from '../engine/errors.js';

/** Options of `loadKubeConfig`. */
export interface KubeConfigOptions {
  /** `--kubeconfig`: one file; a missing file is an error (as with kubectl). */
  kubeconfig?: string;
  /** `--context`: a context name from the merged config. */
  context?: string;
  /** Environment read for `KUBECONFIG` and `HOME` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** A kubeconfig given as an object (e.g. the simulation's `sim.kubeconfig()`); wins over files. */
  inline?: object;
}

/** A kubeconfig document as parsed (kubectl's field names: `current-context`, `certificate-authority`, ...). */
export interface RawKubeConfig {
  clusters?: { name: string; cluster: Record<string, unknown> }[];
  users?: { name: string; user: Record<string, unknown> }[];
  contexts?: { name: string; context: Record<string, unknown> }[];
  'current-context'?: string;
  [key: string]: unknown;
}

/** Where a loaded KubeConfig came from, and its merged raw document (for fields client-node drops, like extensions). */
export interface KubeConfigSource {
  /** The files merged, in order; empty for an inline config. */
  files: string[];
  raw: RawKubeConfig;
}

const sources = new WeakMap<KubeConfig, KubeConfigSource>();

/**
 * Loads the kubeconfig with kubectl's precedence and selects the context.
 * @throws UserError `kubeconfig.missing` (usage) when `--kubeconfig` names a missing file or no
 *   config exists at all; `kubeconfig.invalid` (usage) for unreadable YAML or broken entries;
 *   `kubeconfig.context` (usage) when the context (given or current) is missing or unknown,
 *   naming the available contexts and the files read.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  let files: string[] = [];
  let raw: RawKubeConfig;
  if (options.inline) {
    raw = structuredClone(options.inline) as RawKubeConfig;
  } else {
    files = kubeconfigFiles(options.kubeconfig, env);
    const docs = files.map((file) => readKubeconfigFile(file));
    raw = mergeKubeconfigs(docs);
  }
  const where = files.length > 0 ? files.join(', ') : options.inline ? 'the inline kubeconfig' : 'no kubeconfig file';
  const contexts = (raw.contexts ?? []).map((c) => c.name);
  const wanted = options.context ?? raw['current-context'];
  if (!wanted) {
    throw new UserError('kubeconfig.context', `no current context is set in ${where}; available contexts: ${listOrNone(contexts)}`, {
      usage: true,
      fix: contexts.length > 0 ? `pass --context ${contexts[0]} or run \`oc login <server>\`` : 'run `oc login <server>` to create a context',
    });
  }
  if (!contexts.includes(wanted)) {
    throw new UserError('kubeconfig.context', `context "${wanted}" is not in ${where}; available contexts: ${listOrNone(contexts)}`, {
      usage: true,
      fix: contexts.length > 0 ? `pass --context with one of: ${contexts.join(', ')}` : 'run `oc login <server>` to create a context',
    });
  }
  raw['current-context'] = wanted;
  const kc = new KubeConfig();
  try {
    kc.loadFromString(JSON.stringify(raw));
  } catch (err) {
    throw new UserError('kubeconfig.invalid', `the kubeconfig in ${where} is invalid: ${(err as Error).message}`, {
      usage: true,
      fix: 'repair the file or run `oc login <server>` again',
    });
  }
  const ctx = kc.getContextObject(wanted);
  if (!ctx || !kc.getCluster(ctx.cluster)) {
    throw new UserError('kubeconfig.invalid', `context "${wanted}" in ${where} names cluster "${ctx?.cluster ?? ''}", which is not defined`, {
      usage: true,
      fix: 'repair the file or run `oc login <server>` again',
    });
  }
  sources.set(kc, { files, raw });
  return kc;
}

/** The files and merged raw document a KubeConfig was loaded from (only for configs made by `loadKubeConfig`). */
export function kubeConfigSource(kc: KubeConfig): KubeConfigSource | undefined {
  return sources.get(kc);
}

/**
 * An extension of the current context's cluster (kubeconfig `clusters[].cluster.extensions[]`,
 * entries `{name, extension}`), e.g. the simulation's `maas-wizard.io/sim` marker.
 */
export function clusterExtension(kc: KubeConfig, name: string): Record<string, unknown> | undefined {
  const raw = sources.get(kc)?.raw;
  const clusterName = kc.getCurrentCluster()?.name;
  const entry = raw?.clusters?.find((c) => c.name === clusterName);
  const extensions = entry?.cluster['extensions'];
  if (!Array.isArray(extensions)) return undefined;
  const found = extensions.find((e: unknown) => (e as { name?: unknown })?.name === name) as { extension?: unknown } | undefined;
  return found?.extension && typeof found.extension === 'object' ? (found.extension as Record<string, unknown>) : undefined;
}

/**
 * The files to read, by kubectl's precedence. `KUBECONFIG` entries that do not exist are skipped
 * (as kubectl does); a missing `--kubeconfig` file is an error.
 */
function kubeconfigFiles(flag: string | undefined, env: NodeJS.ProcessEnv): string[] {
  if (flag) {
    const file = path.resolve(flag);
    if (!existsSync(file)) {
      throw new UserError('kubeconfig.missing', `the kubeconfig file ${file} (from --kubeconfig) does not exist`, {
        usage: true,
        fix: 'pass an existing file to --kubeconfig, or leave it out to use KUBECONFIG or ~/.kube/config',
      });
    }
    return [file];
  }
  const list = env['KUBECONFIG'];
  if (list) {
    const entries = list.split(path.delimiter).filter((f) => f.length > 0).map((f) => path.resolve(f));
    const present = [...new Set(entries)].filter((f) => existsSync(f));
    if (present.length === 0) {
      throw new UserError('kubeconfig.missing', `none of the files in KUBECONFIG exist: ${entries.join(', ')}`, {
        usage: true,
        fix: 'run `oc login <server>` or point KUBECONFIG at an existing file',
      });
    }
    return present;
  }
  const home = env['HOME'] ?? homedir();
  const file = path.join(home, '.kube', 'config');
  if (!existsSync(file)) {
    throw new UserError('kubeconfig.missing', `no kubeconfig found: ${file} does not exist and KUBECONFIG is not set`, {
      usage: true,
      fix: 'run `oc login <server>`, or pass --kubeconfig FILE',
    });
  }
  return [file];
}

/** Reads one file and resolves its relative paths against the file's folder (as client-go does). */
function readKubeconfigFile(file: string): RawKubeConfig {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError('kubeconfig.invalid', `cannot read kubeconfig ${file}: ${(err as Error).message.split('\n')[0] ?? ''}`, {
      usage: true,
      fix: 'repair the file or run `oc login <server>` again',
    });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UserError('kubeconfig.invalid', `kubeconfig ${file} is not a YAML mapping`, { usage: true, fix: 'repair the file' });
  }
  const raw = doc as RawKubeConfig;
  const dir = path.dirname(file);
  const abs = (v: unknown): unknown => (typeof v === 'string' && v !== '' && !path.isAbsolute(v) ? path.resolve(dir, v) : v);
  for (const c of raw.clusters ?? []) {
    if (c?.cluster && 'certificate-authority' in c.cluster) c.cluster['certificate-authority'] = abs(c.cluster['certificate-authority']);
  }
  for (const u of raw.users ?? []) {
    if (!u?.user) continue;
    for (const key of ['client-certificate', 'client-key', 'tokenFile']) {
      if (key in u.user) u.user[key] = abs(u.user[key]);
    }
    const exec = u.user['exec'] as { command?: unknown } | undefined;
    // client-go resolves an exec command relative to the file only when it contains a separator.
    if (exec && typeof exec.command === 'string' && exec.command.includes('/')) exec.command = abs(exec.command);
  }
  return raw;
}

/**
 * Merges kubeconfig documents the way kubectl merges a `KUBECONFIG` list: for each named
 * cluster, user and context the first file to define it wins; the first `current-context` set wins.
 */
export function mergeKubeconfigs(docs: RawKubeConfig[]): RawKubeConfig {
  const merged: RawKubeConfig = { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
  for (const doc of docs) {
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      const target = merged[key] as { name: string }[];
      for (const entry of (doc[key] ?? []) as { name: string }[]) {
        if (entry && typeof entry.name === 'string' && !target.some((e) => e.name === entry.name)) target.push(entry);
      }
    }
    if (!merged['current-context'] && doc['current-context']) merged['current-context'] = doc['current-context'];
  }
  return merged;
}

function listOrNone(names: string[]): string {
  return names.length > 0 ? names.join(', ') : '(none)';
}
