/**
 * The developer portal CMS API (3scale CMS API spec): sections, templates (pages, layouts,
 * partials) with draft and published content, and files. Shapes from porta's CMS representers:
 * items are not wrapped, lists are `{"collection":[...]}` (+ `metadata` when paginated, 20 per page
 * by default, 100 at most: `Admin::Api::CMS::BaseController`). System names and page/file paths are
 * unique: creating a second one answers 422 `has already been taken`, so a client upserts by
 * looking them up (FIELD-CASES C12).
 */
import { bool, int, invalid, paginate, str } from '../http.js';
import type { Params, Upload } from '../http.js';
import { find, remove, systemNameOf } from '../model.js';
import type { Route, RouteContext } from '../router.js';
import { hosts, nextId, timestamp } from '../state.js';
import type { Rec } from '../state.js';
import { created, deleted, ok, route, touch } from './common.js';

const TYPES = ['page', 'layout', 'partial'];

/** `{"collection": [...], "metadata"?}` with the CMS API's page sizes. */
function collection(items: Record<string, unknown>[], p: Params): Record<string, unknown> {
  const { page, metadata } = paginate(items, p, { default: 20, max: 100 });
  return metadata ? { collection: page, metadata } : { collection: page };
}

const cms = (method: Route['method'], path: string, required: string[], handler: Route['handler']): Route =>
  route(method, path, required, handler, 'cms');

function taken(field: string): never {
  throw invalid({ [field]: ['has already been taken'] });
}

function sectionRoutes(): Route[] {
  const apply = (rec: Rec, ctx: RouteContext): void => {
    for (const k of ['title', 'partial_path']) {
      const v = str(ctx.params, k);
      if (v !== undefined) rec[k] = v;
    }
    const isPublic = bool(ctx.params, 'public');
    if (isPublic !== undefined) rec.public = isPublic;
    const parent = int(ctx.params, 'parent_id');
    if (parent !== undefined) rec.parent_id = find(ctx.tenant.cmsSections, parent).id;
  };
  return [
    cms('GET', '/admin/api/cms/sections.json', [], (ctx) => ok(collection(ctx.tenant.cmsSections, ctx.params))),
    cms('POST', '/admin/api/cms/sections.json', ['title'], (ctx) => {
      const systemName = str(ctx.params, 'system_name') || systemNameOf(str(ctx.params, 'title') ?? '');
      if (ctx.tenant.cmsSections.some((s) => s.system_name === systemName)) taken('system_name');
      const root = ctx.tenant.cmsSections.find((s) => s.system_name === 'root');
      const rec: Rec = { id: nextId(ctx.tenant, 'cms_sections'), title: '', system_name: systemName, public: true, parent_id: root?.id ?? null, partial_path: `/${systemName}`, created_at: timestamp(ctx.now), updated_at: timestamp(ctx.now) };
      apply(rec, ctx);
      ctx.tenant.cmsSections.push(rec);
      return created(rec);
    }),
    cms('GET', '/admin/api/cms/sections/{id}.json', [], (ctx) => ok(find(ctx.tenant.cmsSections, ctx.path.id))),
    cms('PUT', '/admin/api/cms/sections/{id}.json', [], (ctx) => {
      const rec = find(ctx.tenant.cmsSections, ctx.path.id);
      const systemName = str(ctx.params, 'system_name');
      if (systemName && ctx.tenant.cmsSections.some((s) => s !== rec && s.system_name === systemName)) taken('system_name');
      if (systemName) rec.system_name = systemName;
      apply(rec, ctx);
      touch(rec, ctx.now);
      return ok(rec);
    }),
    cms('DELETE', '/admin/api/cms/sections/{id}.json', [], (ctx) => {
      const rec = find(ctx.tenant.cmsSections, ctx.path.id);
      if (rec.system_name === 'root') throw invalid({ base: ['The root section cannot be deleted'] });
      remove(ctx.tenant.cmsSections, rec);
      return deleted();
    }),
  ];
}

/** Applies template fields; resolves `layout_name`/`section_name`; checks unique system name and path. */
function applyTemplate(rec: Rec, ctx: RouteContext): void {
  const t = ctx.tenant;
  const systemName = str(ctx.params, 'system_name');
  if (systemName !== undefined && systemName !== '') {
    if (t.cmsTemplates.some((x) => x !== rec && x.type === rec.type && x.system_name === systemName)) taken('system_name');
    rec.system_name = systemName;
  }
  const path = str(ctx.params, 'path');
  if (path !== undefined && rec.type === 'page') {
    if (t.cmsTemplates.some((x) => x !== rec && x.type === 'page' && x.path === path)) taken('path');
    rec.path = path;
  }
  for (const k of ['title', 'draft', 'handler', 'content_type']) {
    const v = str(ctx.params, k);
    if (v !== undefined) rec[k] = v;
  }
  const liquid = bool(ctx.params, 'liquid_enabled');
  if (liquid !== undefined) rec.liquid_enabled = liquid;
  const layoutName = str(ctx.params, 'layout_name');
  const layoutId = int(ctx.params, 'layout_id');
  if (layoutName) {
    const layout = t.cmsTemplates.find((x) => x.type === 'layout' && x.system_name === layoutName);
    if (!layout) throw invalid({ layout: ['not found'] });
    rec.layout_id = layout.id;
  } else if (layoutId !== undefined) rec.layout_id = find(t.cmsTemplates, layoutId, (x) => x.type === 'layout').id;
  const sectionName = str(ctx.params, 'section_name');
  const sectionId = int(ctx.params, 'section_id');
  if (sectionName) {
    const section = t.cmsSections.find((s) => s.system_name === sectionName);
    if (!section) throw invalid({ section: ['not found'] });
    rec.section_id = section.id;
  } else if (sectionId !== undefined) rec.section_id = find(t.cmsSections, sectionId).id;
}

function templateRoutes(): Route[] {
  const short = (rec: Rec): Record<string, unknown> => {
    const { draft: _d, published: _p, ...rest } = rec;
    return rest;
  };
  return [
    cms('GET', '/admin/api/cms/templates.json', [], (ctx) => {
      const full = bool(ctx.params, 'content') === true;
      return ok(collection(ctx.tenant.cmsTemplates.map((t) => (full ? t : short(t))), ctx.params));
    }),
    cms('POST', '/admin/api/cms/templates.json', ['type'], (ctx) => {
      const type = str(ctx.params, 'type') ?? '';
      if (!TYPES.includes(type)) throw invalid({ type: ['is not included in the list'] });
      const root = ctx.tenant.cmsSections.find((s) => s.system_name === 'root');
      const rec: Rec = { id: 0, type, title: '', system_name: null, liquid_enabled: true, draft: null, published: null, created_at: timestamp(ctx.now), updated_at: timestamp(ctx.now) };
      if (type === 'page') Object.assign(rec, { path: null, section_id: root?.id ?? null, layout_id: null, content_type: 'text/html', handler: null, hidden: false });
      applyTemplate(rec, ctx);
      if (type === 'page' && !rec.path) throw invalid({ path: ["can't be blank"] });
      if (type === 'page' && !rec.title) throw invalid({ title: ["can't be blank"] });
      if (type !== 'page' && !rec.system_name) throw invalid({ system_name: ["can't be blank"] });
      rec.id = nextId(ctx.tenant, 'cms_templates');
      ctx.tenant.cmsTemplates.push(rec);
      return created(rec);
    }),
    cms('GET', '/admin/api/cms/templates/{id}.json', [], (ctx) => ok(find(ctx.tenant.cmsTemplates, ctx.path.id))),
    cms('PUT', '/admin/api/cms/templates/{id}.json', [], (ctx) => {
      const rec = find(ctx.tenant.cmsTemplates, ctx.path.id);
      applyTemplate(rec, ctx);
      touch(rec, ctx.now);
      return ok(rec);
    }),
    cms('DELETE', '/admin/api/cms/templates/{id}.json', [], (ctx) => {
      remove(ctx.tenant.cmsTemplates, find(ctx.tenant.cmsTemplates, ctx.path.id));
      return deleted();
    }),
    cms('PUT', '/admin/api/cms/templates/{id}/publish.json', [], (ctx) => {
      const rec = find(ctx.tenant.cmsTemplates, ctx.path.id);
      rec.published = rec.draft;
      touch(rec, ctx.now);
      return ok(rec);
    }),
  ];
}

function fileRoutes(): Route[] {
  const view = (rec: Rec, portal: string): Record<string, unknown> => {
    const { content_base64: _c, ...rest } = rec;
    return { ...rest, url: `https://${portal}${String(rec.path)}` };
  };
  const apply = (rec: Rec, ctx: RouteContext): void => {
    const path = str(ctx.params, 'path');
    if (path !== undefined) {
      if (ctx.tenant.cmsFiles.some((f) => f !== rec && f.path === path)) taken('path');
      rec.path = path;
    }
    const sectionId = int(ctx.params, 'section_id');
    if (sectionId !== undefined) rec.section_id = find(ctx.tenant.cmsSections, sectionId).id;
    const downloadable = bool(ctx.params, 'downloadable');
    if (downloadable !== undefined) rec.downloadable = downloadable;
    const upload = ctx.params.attachment as Upload | string | undefined;
    if (upload && typeof upload === 'object') {
      rec.content_base64 = upload.base64;
      rec.content_type = upload.contentType || 'application/octet-stream';
      rec.title = upload.filename;
    } else if (typeof upload === 'string') {
      rec.content_base64 = Buffer.from(upload).toString('base64');
      rec.content_type = 'application/octet-stream';
    }
  };
  const portal = (ctx: RouteContext): string => hosts.portal(ctx.tenant.name, ctx.tenant.domain);
  return [
    cms('GET', '/admin/api/cms/files.json', [], (ctx) => ok(collection(ctx.tenant.cmsFiles.map((f) => view(f, portal(ctx))), ctx.params))),
    cms('POST', '/admin/api/cms/files.json', ['path', 'attachment'], (ctx) => {
      const root = ctx.tenant.cmsSections.find((s) => s.system_name === 'root');
      const rec: Rec = { id: 0, section_id: root?.id ?? null, path: '', downloadable: false, title: '', content_type: '', created_at: timestamp(ctx.now), updated_at: timestamp(ctx.now) };
      apply(rec, ctx);
      rec.id = nextId(ctx.tenant, 'cms_files');
      ctx.tenant.cmsFiles.push(rec);
      return created(view(rec, portal(ctx)));
    }),
    cms('GET', '/admin/api/cms/files/{id}.json', [], (ctx) => ok(view(find(ctx.tenant.cmsFiles, ctx.path.id), portal(ctx)))),
    cms('PUT', '/admin/api/cms/files/{id}.json', [], (ctx) => {
      const rec = find(ctx.tenant.cmsFiles, ctx.path.id);
      apply(rec, ctx);
      touch(rec, ctx.now);
      return ok(view(rec, portal(ctx)));
    }),
    cms('DELETE', '/admin/api/cms/files/{id}.json', [], (ctx) => {
      remove(ctx.tenant.cmsFiles, find(ctx.tenant.cmsFiles, ctx.path.id));
      return deleted();
    }),
  ];
}

/** CMS section, template and file routes. */
export function cmsRoutes(): Route[] {
  return [...sectionRoutes(), ...templateRoutes(), ...fileRoutes()];
}
