/**
 * Uploading the portal content through the 3scale CMS API (3SCALE_OPERATIONS.md, "CMS (Developer
 * Portal) API") so that a second upload updates in place and never duplicates (FIELD-CASES C12):
 * the section is matched by system name, pages by path (then system name), layouts and partials
 * by system name, files by path. A template whose draft or published content differs from ours
 * is updated and published again; one created is published right after. Files are compared by
 * their bytes, fetched from the portal (the CMS file list carries no content).
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { Form } from '../../src/cluster/threescale/http.js';
import type { CmsFile, CmsSection, CmsTemplate } from '../../src/cluster/threescale/types.js';
import { BugError } from '../../src/engine/errors.js';
import type { ApiCall, Change, FieldDiff } from '../../src/engine/types.js';
import type { PortalContent, WantedFile, WantedTemplate } from './render.js';
import { AM, call } from './shared.js';

/** What the CMS holds now. */
export interface CmsState {
  sections: CmsSection[];
  templates: CmsTemplate[];
  files: CmsFile[];
}

/** Reads sections, templates (with draft and published content) and files, every page. */
export async function readCms(api: ThreescaleClient): Promise<CmsState> {
  const [sections, templates, files] = await Promise.all([api.cmsSections.list(), api.cmsTemplates.listWithContent(), api.cmsFiles.list()]);
  return { sections, templates, files };
}

/** Every existing template that is `wanted`: pages by path, then by system name; others by system name. */
export function matchingTemplates(templates: CmsTemplate[], wanted: WantedTemplate): CmsTemplate[] {
  const sameType = templates.filter((t) => t.type === wanted.type);
  if (wanted.type === 'page') {
    const byPath = sameType.filter((t) => t.path === wanted.path);
    if (byPath.length > 0) return byPath;
  }
  return sameType.filter((t) => t.system_name === wanted.system_name);
}

/** How a template is named in plans: `page /keys`, `layout maas_layout`. */
export function templateLabel(t: Pick<WantedTemplate, 'type' | 'path' | 'system_name'>): string {
  return t.type === 'page' ? `page ${t.path ?? t.system_name}` : `${t.type} ${t.system_name}`;
}

/** Stands in a planned path for the id of a template created earlier in the same plan. */
export function templateIdPlaceholder(t: WantedTemplate): string {
  return `<id of ${templateLabel(t)}>`;
}

const size = (s: string | null | undefined): string => `<${(s ?? '').length} characters>`;

/** The fields of a template that differ from `wanted`, as a form (only those) and a diff. */
function templateUpdate(current: CmsTemplate, wanted: WantedTemplate, cms: CmsState, section: string): { form: Form; diff: FieldDiff[] } {
  const form: Form = {};
  const diff: FieldDiff[] = [];
  const set = (key: string, from: unknown, to: string | boolean, shown?: { from: unknown; to: unknown }): void => {
    form[key] = to;
    diff.push({ path: key, from: shown?.from ?? from, to: shown?.to ?? to });
  };
  if (current.title !== wanted.title) set('title', current.title, wanted.title);
  if (wanted.type === 'page' && current.path !== wanted.path) set('path', current.path, wanted.path ?? '');
  if (current.draft !== wanted.draft) set('draft', current.draft, wanted.draft, { from: size(current.draft), to: size(wanted.draft) });
  if (current.liquid_enabled === false) set('liquid_enabled', false, true);
  if (wanted.layout) {
    const layout = cms.templates.find((t) => t.type === 'layout' && t.system_name === wanted.layout);
    if (!layout || current.layout_id !== layout.id) set('layout_name', current.layout_id ?? null, wanted.layout);
  }
  if (wanted.type === 'page') {
    const s = cms.sections.find((x) => x.system_name === section);
    if (!s || current.section_id !== s.id) set('section_name', current.section_id ?? null, section);
  }
  return { form, diff };
}

function templateChanges(cms: CmsState, wanted: WantedTemplate, section: string): Change[] {
  const target = `CMS ${templateLabel(wanted)}`;
  const found = matchingTemplates(cms.templates, wanted);
  if (found.length === 0) {
    const body: Form = {
      type: wanted.type,
      system_name: wanted.system_name,
      title: wanted.title,
      draft: wanted.draft,
      liquid_enabled: true,
      ...(wanted.path ? { path: wanted.path } : {}),
      ...(wanted.layout ? { layout_name: wanted.layout } : {}),
      ...(wanted.type === 'page' ? { section_name: section } : {}),
    };
    return [
      { action: 'create', target, call: call('POST', `${AM}/cms/templates.json`, body) },
      { action: 'update', target: `publish ${target}`, call: call('PUT', `${AM}/cms/templates/${templateIdPlaceholder(wanted)}/publish.json`) },
    ];
  }
  // Several matches (earlier duplicates, C12): the first is brought in line; the others are left alone and named.
  const [current, ...others] = found as [CmsTemplate, ...CmsTemplate[]];
  const note = others.length > 0 ? `also found ${others.length} more with the same ${wanted.type === 'page' ? 'path' : 'system name'} (ids ${others.map((o) => o.id).join(', ')}): left as they are` : undefined;
  const withNote = note ? { note } : {};
  const { form, diff } = templateUpdate(current, wanted, cms, section);
  const changes: Change[] = [];
  if (diff.length > 0) changes.push({ action: 'update', target: `${target} (id ${current.id})`, call: call('PUT', `${AM}/cms/templates/${current.id}.json`, form), diff, ...withNote });
  const publishedDiffers = current.published !== wanted.draft;
  if (diff.length > 0 || publishedDiffers) {
    changes.push({
      action: 'update',
      target: `publish ${target} (id ${current.id})`,
      call: call('PUT', `${AM}/cms/templates/${current.id}/publish.json`),
      ...(publishedDiffers ? { diff: [{ path: 'published', from: size(current.published), to: size(wanted.draft) }] } : {}),
    });
  }
  if (changes.length === 0) changes.push({ action: 'none', target: `${target} (id ${current.id})`, note: note ?? 'published, up to date' });
  return changes;
}

function sectionChange(cms: CmsState, wanted: PortalContent['section']): Change {
  const target = `CMS section ${wanted.system_name}`;
  const current = cms.sections.find((s) => s.system_name === wanted.system_name);
  if (!current) {
    return { action: 'create', target, call: call('POST', `${AM}/cms/sections.json`, { title: wanted.title, system_name: wanted.system_name, public: true, partial_path: wanted.partial_path }) };
  }
  const form: Form = {};
  const diff: FieldDiff[] = [];
  if (current.title !== wanted.title) {
    form['title'] = wanted.title;
    diff.push({ path: 'title', from: current.title, to: wanted.title });
  }
  if (current.public === false) {
    form['public'] = true;
    diff.push({ path: 'public', from: false, to: true });
  }
  if (diff.length === 0) return { action: 'none', target: `${target} (id ${current.id})` };
  return { action: 'update', target: `${target} (id ${current.id})`, call: call('PUT', `${AM}/cms/sections/${current.id}.json`, form), diff };
}

/** Bytes of a CMS file as the portal serves it; undefined when it does not answer 200. */
async function fileBytes(fetchFn: typeof fetch, url: string): Promise<Buffer | undefined> {
  try {
    const res = await fetchFn(url);
    if (res.status !== 200) {
      await res.body?.cancel();
      return undefined;
    }
    return Buffer.from(await res.arrayBuffer());
  } catch {
    return undefined;
  }
}

async function fileChange(cms: CmsState, wanted: WantedFile, fetchFn: typeof fetch, developerUrl: string): Promise<Change> {
  const target = `CMS file ${wanted.path}`;
  const note = `attachment: ${wanted.data.length} bytes of ${wanted.contentType}`;
  const current = cms.files.find((f) => f.path === wanted.path);
  if (!current) return { action: 'create', target, call: call('POST', `${AM}/cms/files.json`, { path: wanted.path, downloadable: false }), note };
  const url = typeof current.url === 'string' && /^https?:\/\//.test(current.url) ? current.url : `${developerUrl}${wanted.path}`;
  const bytes = await fileBytes(fetchFn, url);
  if (bytes && bytes.equals(wanted.data)) return { action: 'none', target: `${target} (id ${current.id})` };
  return {
    action: 'update',
    target: `${target} (id ${current.id})`,
    call: call('PUT', `${AM}/cms/files/${current.id}.json`, { path: wanted.path }),
    diff: [{ path: 'attachment', from: bytes ? `<${bytes.length} bytes>` : '<not readable>', to: `<${wanted.data.length} bytes>` }],
    note,
  };
}

/**
 * The changes that bring the CMS in line with `content`: section, layouts, partials, pages (each
 * created one followed by its publish), files. Reads only.
 * @param fetchFn the HTTP layer's fetch (to read files back from the portal); @param developerUrl the portal's origin.
 */
export async function planContent(cms: CmsState, content: PortalContent, fetchFn: typeof fetch, developerUrl: string): Promise<Change[]> {
  const order = { layout: 0, partial: 1, page: 2 } as const;
  const templates = [...content.templates].sort((a, b) => order[a.type] - order[b.type]);
  const changes: Change[] = [sectionChange(cms, content.section)];
  for (const t of templates) changes.push(...templateChanges(cms, t, content.section.system_name));
  for (const f of content.files) changes.push(await fileChange(cms, f, fetchFn, developerUrl));
  return changes;
}

/**
 * Performs the planned CMS calls in order; fills in the ids of templates created earlier in the
 * plan and attaches file contents (multipart) from `content`.
 * @throws BugError for a placeholder no earlier change resolved, or a file not in `content`; what the client throws.
 */
export async function applyContent(api: ThreescaleClient, plan: Change[], content: PortalContent): Promise<void> {
  const ids = new Map<string, number>();
  for (const change of plan) {
    if (change.action === 'none' || !change.call || change.call.service !== '3scale') continue;
    const { method, body } = change.call as ApiCall;
    let { path } = change.call as ApiCall;
    for (const [placeholder, id] of ids) path = path.replaceAll(placeholder, String(id));
    if (path.includes('<id of ')) throw new BugError(`planned call ${method} ${change.call.path} names a template that was not created before it`);
    const form = (body ?? {}) as Form;
    if (path.startsWith(`${AM}/cms/files`)) {
      const file = content.files.find((f) => f.path === form['path']);
      if (!file) throw new BugError(`planned call ${method} ${path} uploads a file that is not part of the portal content`);
      const filename = file.path.split('/').pop() ?? 'file';
      await api.http.request(method, path, form, { field: 'attachment', file: { filename, contentType: file.contentType, data: file.data } });
      continue;
    }
    const answer = await api.http.request<{ id?: number }>(method, path, form);
    if (method === 'POST' && path === `${AM}/cms/templates.json`) {
      const wanted = content.templates.find((t) => t.type === form['type'] && t.system_name === form['system_name']);
      if (wanted && typeof answer?.id === 'number') ids.set(templateIdPlaceholder(wanted), answer.id);
    }
  }
}
