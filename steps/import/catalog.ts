/**
 * The model catalog (templates/models/catalog.yaml, STAGES.md §4): read with the `yaml` package,
 * validated with zod. Any Hugging Face repo id typed in (`owner/name`) that is not in the catalog
 * becomes an entry with the defaults of a vLLM chat model.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';
import { BugError, UserError } from '../../src/engine/errors.js';

/**
 * A Hugging Face repo id: `owner/name`, each part letters, digits, `-`, `_`, `.`, not starting or
 * ending with `-`/`.`, at most 96 characters (huggingface_hub `validate_repo_id`).
 */
export const REPO_ID = /^[A-Za-z0-9](?:[\w.-]{0,94}[A-Za-z0-9])?\/[A-Za-z0-9_](?:[\w.-]{0,94}[A-Za-z0-9_])?$/;

/** A repo id input. */
export const repoId = z.string().refine((v) => REPO_ID.test(v) && !v.includes('..') && !v.includes('--'), {
  message: 'must be a Hugging Face repo id: owner/name (e.g. mistralai/Mistral-7B-Instruct-v0.3)',
});

/** One catalog entry. Lengths in tokens. */
export const catalogEntry = z.object({
  id: repoId,
  /** Short name for Kubernetes objects: an RFC 1123 label of at most 40 characters (room for suffixes). */
  name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(40),
  kind: z.enum(['chat', 'embedding']),
  runtime: z.enum(['vllm', 'tei']),
  api: z.enum(['chat', 'completions', 'embeddings']),
  maxContext: z.number().int().positive(),
  maxModelLen: z.number().int().positive(),
  gpus: z.number().int().min(0).max(8),
  files: z.object({ exclude: z.array(z.string().min(1)).default([]) }).default({ exclude: [] }),
  guide: z.boolean().default(false),
}).refine((e) => e.maxModelLen <= e.maxContext, { message: 'maxModelLen must not exceed maxContext' });
/** One validated catalog entry (see `catalogEntry`). */
export type CatalogEntry = z.infer<typeof catalogEntry>;

const catalogFile = z.object({ models: z.array(catalogEntry).min(1) });

/** Finds `templates/models/catalog.yaml` above this module (works from the sources and from dist/). */
export function catalogPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'templates', 'models', 'catalog.yaml');
    if (existsSync(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  throw new BugError('templates/models/catalog.yaml not found above steps/import');
}

/**
 * Reads and validates a catalog file (default: the bundled one).
 * @throws BugError when the file is missing or invalid (it ships with the wizard), naming the entry.
 */
export function loadCatalog(file: string = catalogPath()): CatalogEntry[] {
  const parsed = catalogFile.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BugError(`invalid model catalog ${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`);
  }
  const ids = new Set<string>();
  for (const m of parsed.data.models) {
    if (ids.has(m.id)) throw new BugError(`invalid model catalog ${file}: ${m.id} listed twice`);
    ids.add(m.id);
  }
  return parsed.data.models;
}

/** A Kubernetes-friendly short name for a repo id: lowercase, `[^a-z0-9]` → `-`, at most 40 characters. */
export function shortName(id: string): string {
  const base = (id.split('/')[1] ?? id).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return base.slice(0, 40).replace(/-+$/, '') || 'model';
}

/**
 * The entry for a repo id: from the catalog, or (typed in) a vLLM chat model with one GPU and a
 * 4096-token context until the serving stage reads its config.
 * @throws UserError `input.invalid` (usage) when `id` is not `owner/name`.
 */
export function entryFor(id: string, catalog: readonly CatalogEntry[]): CatalogEntry {
  const found = catalog.find((m) => m.id === id);
  if (found) return found;
  if (!repoId.safeParse(id).success) {
    throw new UserError('input.invalid', `"${id}" is not a Hugging Face repo id`, { fix: 'use owner/name, e.g. mistralai/Mistral-7B-Instruct-v0.3', usage: true });
  }
  return { id, name: shortName(id), kind: 'chat', runtime: 'vllm', api: 'chat', maxContext: 4096, maxModelLen: 4096, gpus: 1, files: { exclude: [] }, guide: false };
}

/** The guide's models (the default selection). */
export function guideModels(catalog: readonly CatalogEntry[]): string[] {
  return catalog.filter((m) => m.guide).map((m) => m.id);
}
