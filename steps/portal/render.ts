/**
 * The developer portal content of this project (templates/portal/, described by its
 * `manifest.yaml`), rendered at upload time: `[[ ... ]]` and `[% ... %]` are filled in here with
 * the products' data (liquidjs with those delimiters), while `{{ ... }}` and `{% ... %}` stay for
 * the developer portal's own Liquid (3scale drops such as `current_account.applications`).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Liquid } from 'liquidjs';
import { parse } from 'yaml';
import { z } from 'zod';
import { BugError, UserError } from '../../src/engine/errors.js';

/** One served model as the pages show it. */
export interface PortalModel {
  /** Product name (3scale `service.name`). */
  name: string;
  /** About the product (its `description`, else the model's repo id); the kind's sentence is added by the pages. */
  description: string;
  /** Product system name (3scale `service.system_name`), matched against `app.service.system_name`. */
  systemName: string;
  /** Name the model answers to in the `model` field. */
  servedModelName: string;
  api: 'chat' | 'completions' | 'embeddings';
  /** Production gateway origin, `https://<system-name>-maas-apicast-production.<domain>`. */
  endpoint: string;
}

const manifestSchema = z.object({
  section: z.object({ system_name: z.string().min(1), title: z.string().min(1), partial_path: z.string().startsWith('/') }),
  templates: z.array(
    z.object({
      type: z.enum(['layout', 'partial', 'page']),
      system_name: z.string().min(1),
      title: z.string().min(1),
      path: z.string().startsWith('/').optional(),
      layout: z.string().optional(),
      file: z.string().min(1),
    }),
  ),
  files: z.array(z.object({ path: z.string().startsWith('/'), file: z.string().min(1), content_type: z.string().min(1) })),
});

/** A CMS template to upload, rendered. `draft` is what the portal's Liquid receives. */
export interface WantedTemplate {
  type: 'layout' | 'partial' | 'page';
  system_name: string;
  title: string;
  /** Pages only. */
  path?: string;
  /** System name of the layout (pages only). */
  layout?: string;
  draft: string;
}

/** A CMS file to upload (served by the portal at `path`). */
export interface WantedFile {
  path: string;
  contentType: string;
  data: Buffer;
}

/** Everything portal.content uploads. */
export interface PortalContent {
  section: { system_name: string; title: string; partial_path: string };
  templates: WantedTemplate[];
  files: WantedFile[];
}

/** Finds `templates/portal/` above this module (works from the sources and from dist/). */
export function portalTemplatesDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, 'templates', 'portal');
    if (existsSync(path.join(candidate, 'manifest.yaml'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new BugError('templates/portal/manifest.yaml not found above steps/portal');
}

/** The OpenAI-compatible path each API kind is called on (vLLM and TEI serve these). */
export const API_PATHS: Record<PortalModel['api'], string> = {
  chat: '/v1/chat/completions',
  completions: '/v1/completions',
  embeddings: '/v1/embeddings',
};

const API_LABELS: Record<PortalModel['api'], string> = { chat: 'Chat completions', completions: 'Completions', embeddings: 'Embeddings' };

/** What a model of each API kind does, in one sentence for the home page. */
export const API_SUMMARIES: Record<PortalModel['api'], string> = {
  chat: 'Chat model: answers conversations and instructions.',
  completions: 'Language model: completes a text prompt.',
  embeddings: 'Embedding model: turns text into vectors for search, clustering and retrieval-augmented generation.',
};

/** A small request body for the curl examples (JSON, one line, no single quote). */
export function exampleBody(m: Pick<PortalModel, 'api' | 'servedModelName'>): string {
  if (m.api === 'embeddings') return JSON.stringify({ model: m.servedModelName, input: 'The text to embed' });
  if (m.api === 'completions') return JSON.stringify({ model: m.servedModelName, prompt: 'Say hello in three languages.', max_tokens: 100 });
  return JSON.stringify({ model: m.servedModelName, messages: [{ role: 'user', content: 'Say hello in three languages.' }], max_tokens: 100 });
}

/** Values written into the portal's Liquid string literals: no quote, no Liquid delimiter. */
const LIQUID_SAFE = /^[A-Za-z0-9_.:/@+-]+$/;

function checkSafe(m: PortalModel): void {
  for (const [field, value] of [['system name', m.systemName], ['served model name', m.servedModelName], ['endpoint', m.endpoint]] as const) {
    if (!LIQUID_SAFE.test(value)) {
      throw new UserError('portal.unsafe-value', `the ${field} "${value}" of product ${m.name} cannot be written into the portal pages`, {
        fix: 'use letters, digits and . _ - : / only (product system names and served model names come from the model catalog)',
      });
    }
  }
}

/**
 * Reads templates/portal/ and renders it for `models` (the served ones, in catalog order).
 * @param dir the templates folder (default: the bundled one).
 * @throws BugError when the manifest or a file is missing or invalid (they ship with the wizard);
 *   UserError `portal.unsafe-value` when a product value cannot go into a Liquid string.
 */
export async function renderPortalContent(models: PortalModel[], dir: string = portalTemplatesDir()): Promise<PortalContent> {
  const parsed = manifestSchema.safeParse(parse(readFileSync(path.join(dir, 'manifest.yaml'), 'utf8')));
  if (!parsed.success) throw new BugError(`invalid ${path.join(dir, 'manifest.yaml')}: ${parsed.error.issues[0]?.message ?? ''}`);
  models.forEach(checkSafe);
  const view = models.map((m) => ({ ...m, path: API_PATHS[m.api], apiLabel: API_LABELS[m.api], summary: API_SUMMARIES[m.api], body: exampleBody(m) }));
  const data = {
    models: view,
    chatModels: view.filter((m) => m.api !== 'embeddings'),
    embeddingModels: view.filter((m) => m.api === 'embeddings'),
  };
  const liquid = new Liquid({ outputDelimiterLeft: '[[', outputDelimiterRight: ']]', tagDelimiterLeft: '[%', tagDelimiterRight: '%]', strictVariables: true });
  const read = (file: string): string => {
    try {
      return readFileSync(path.join(dir, file), 'utf8');
    } catch (err) {
      throw new BugError(`portal template ${file} is missing in ${dir}`, { cause: err });
    }
  };
  const templates: WantedTemplate[] = [];
  for (const t of parsed.data.templates) {
    const draft = (await liquid.parseAndRender(read(t.file), data)) as string;
    templates.push({ type: t.type, system_name: t.system_name, title: t.title, ...(t.path ? { path: t.path } : {}), ...(t.layout ? { layout: t.layout } : {}), draft });
  }
  const files = parsed.data.files.map((f) => ({ path: f.path, contentType: f.content_type, data: Buffer.from(read(f.file), 'utf8') }));
  return { section: parsed.data.section, templates, files };
}
