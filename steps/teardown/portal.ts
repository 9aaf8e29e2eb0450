/**
 * Teardowns of the developer portal stage (STAGES.md §9).
 *
 * `portal.content`: the CMS pages this project created (matched by the system names of
 * templates/portal/manifest.yaml), then its layout, partial, files and section once no remaining
 * page uses them. A page of the tenant's own that `portal.content` updated in place (the built-in
 * home page at `/`, matched by path) is left as it is: nothing is restored.
 *
 * `portal.settings`: the 3scale Account Management API has no call that deletes a developer portal
 * authentication provider (only list, create, read, update: 3SCALE_OPERATIONS.md #13–#13e), so the
 * SSO integration is unpublished (`published=false`: its sign-in button disappears) and left for a
 * person to delete in the admin portal. The access code stays as `portal.settings` left it.
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import type { CmsTemplate } from '../../src/cluster/threescale/types.js';
import { readCms, templateLabel } from '../portal/cms-plan.js';
import { renderPortalContent } from '../portal/render.js';
import type { PortalContent } from '../portal/render.js';
import { findIntegration } from '../portal/sso-integration.js';
import { NO_TENANT, threescaleClient } from './products.js';
import type { Teardown, TeardownOutcome } from './types.js';

const ACCESS_CODE = 'left as it is: portal.settings removed it, nothing is restored';
const DELETE_BY_HAND = 'the 3scale API cannot delete a developer portal SSO integration: delete it in the admin portal (Audience > Developer Portal > SSO Integrations)';

/** What portal.content uploads (names only: rendered without products). */
async function ourContent(): Promise<PortalContent> {
  return renderPortalContent([]);
}

/** Deletes one CMS template, reporting it. */
async function deleteTemplate(api: ThreescaleClient, t: CmsTemplate, report: (o: TeardownOutcome) => void): Promise<void> {
  const label = `CMS ${templateLabel({ type: t.type as 'page', path: t.path ?? undefined, system_name: t.system_name ?? '' })}`;
  report({ what: label, result: (await api.cmsTemplates.delete(t.id)) ? 'deleted' : 'gone' });
}

/** `portal.content`. */
export const portalContentTeardown: Teardown = {
  describe() {
    return [
      { key: 'pages', what: 'the developer portal pages maas-wizard created (CMS, by system name); a built-in page updated in place stays as it is' },
      { key: 'layout', what: 'the maas-wizard layout, partial, stylesheet and section, once no remaining page uses them' },
    ];
  },
  async run(ctx, report) {
    const api = await threescaleClient(ctx);
    if (!api) return report({ what: 'developer portal pages', result: 'gone', why: NO_TENANT });
    const content = await ourContent();
    const cms = await readCms(api);
    const ours = (type: string, name: string): CmsTemplate | undefined => cms.templates.find((t) => t.type === type && t.system_name === name);
    const pages = content.templates.filter((t) => t.type === 'page');
    const kept: CmsTemplate[] = [];
    for (const p of pages) {
      const mine = ours('page', p.system_name);
      if (mine) await deleteTemplate(api, mine, report);
      const other = cms.templates.find((t) => t.type === 'page' && t.path === p.path && t.system_name !== p.system_name);
      if (other) {
        kept.push(other);
        report({ what: `CMS page ${p.path ?? ''} (${other.system_name ?? `id ${other.id}`})`, result: 'kept', why: 'the tenant\'s own page, updated in place by portal.content: not restored' });
      } else if (!mine) report({ what: `CMS page ${p.path ?? p.system_name}`, result: 'gone' });
    }
    const layouts = content.templates.filter((t) => t.type !== 'page');
    const layoutIds = new Set(layouts.map((l) => ours(l.type, l.system_name)?.id).filter((id): id is number => id !== undefined));
    const users = kept.filter((t) => t.layout_id !== undefined && t.layout_id !== null && layoutIds.has(t.layout_id));
    const why = users.length > 0 ? `still used by ${users.map((u) => `page ${u.path ?? u.id}`).join(', ')}` : undefined;
    for (const l of layouts) {
      const mine = ours(l.type, l.system_name);
      if (!mine) report({ what: `CMS ${templateLabel(l)}`, result: 'gone' });
      else if (why) report({ what: `CMS ${templateLabel(l)}`, result: 'kept', why });
      else await deleteTemplate(api, mine, report);
    }
    for (const f of content.files) {
      const file = cms.files.find((x) => x.path === f.path);
      if (!file) report({ what: `CMS file ${f.path}`, result: 'gone' });
      else if (why) report({ what: `CMS file ${f.path}`, result: 'kept', why });
      else report({ what: `CMS file ${f.path}`, result: (await api.cmsFiles.delete(file.id)) ? 'deleted' : 'gone' });
    }
    const section = cms.sections.find((s) => s.system_name === content.section.system_name);
    const inSection = section ? kept.filter((t) => t.section_id === section.id) : [];
    if (!section) report({ what: `CMS section ${content.section.system_name}`, result: 'gone' });
    else if (why || inSection.length > 0) report({ what: `CMS section ${content.section.system_name}`, result: 'kept', why: why ?? `holds ${inSection.map((t) => `page ${t.path ?? t.id}`).join(', ')}` });
    else report({ what: `CMS section ${content.section.system_name}`, result: (await api.cmsSections.delete(section.id)) ? 'deleted' : 'gone' });
  },
};

/** `portal.settings`. */
export const portalSettingsTeardown: Teardown = {
  describe(ctx) {
    return [
      { key: 'integration', what: `developer portal SSO integration ${String(ctx.inputs['systemName'] ?? 'red_hat_sso')}: unpublished (${DELETE_BY_HAND})` },
      { key: 'access-code', what: 'developer portal access code', keep: ACCESS_CODE },
    ];
  },
  async run(ctx, report) {
    const api = await threescaleClient(ctx);
    const name = String(ctx.inputs['systemName'] ?? 'red_hat_sso');
    const what = `developer portal SSO integration ${name}`;
    if (!api) return report({ what, result: 'gone', why: NO_TENANT });
    const found = findIntegration(await api.authProviders.list(), name);
    if (!found) report({ what, result: 'gone' });
    else if (found.published === false) report({ what, result: 'kept', why: `already unpublished; ${DELETE_BY_HAND}` });
    else {
      await api.authProviders.update(found.id, { published: false });
      report({ what, result: 'updated', why: `unpublished; ${DELETE_BY_HAND}` });
    }
    report({ what: 'developer portal access code', result: 'kept', why: ACCESS_CODE });
  },
};
