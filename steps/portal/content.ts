/**
 * Step `portal.content` (STAGES.md §9): this project's developer portal pages (templates/portal/:
 * layout, user menu, home page listing the models, the API keys page with a curl line per
 * application, the examples page, a stylesheet), rendered with the products' data and uploaded
 * through the CMS API, matched by system name or path so that a second run updates in place and
 * never duplicates (FIELD-CASES C12), then published.
 */
import { z } from 'zod';
import type { Services } from '../../src/cluster/services.js';
import { UserError } from '../../src/engine/errors.js';
import type { AnyStep, StepContext } from '../../src/engine/types.js';
import type { CatalogEntry } from '../import/catalog.js';
import { getPage } from './check.js';
import { applyContent, matchingTemplates, planContent, readCms, templateLabel } from './cms-plan.js';
import { servedModels } from './products.js';
import { renderPortalContent } from './render.js';
import type { PortalContent } from './render.js';
import { portalSettingsOf, productStepId, threescaleOf } from './shared.js';
import type { PortalContentOutputs } from './shared.js';

const contentInputs = z.object({});
type Ctx = StepContext<Record<string, never>, Services>;

/** The content for the current products (rendered again by each phase: plan, apply, verify). */
async function content(ctx: Ctx, models: readonly CatalogEntry[]): Promise<PortalContent> {
  return renderPortalContent(await servedModels(ctx, models, threescaleOf(ctx)), undefined);
}

/** Paths of the pages of `content`. */
function pagePaths(c: PortalContent): string[] {
  return c.templates.filter((t) => t.type === 'page' && t.path).map((t) => t.path as string);
}

/**
 * The `portal.content` step for `models` (catalog entries; one `threescale.product.<name>` each).
 * Outputs `{ pages }`: the paths of the pages uploaded.
 */
export function portalContentStep(models: readonly CatalogEntry[]): AnyStep<Services> {
  return {
    id: 'portal.content',
    stage: 'portal',
    title: 'Upload the developer portal pages',
    needs: ['portal.settings', ...models.map((m) => productStepId(m.name))],
    inputs: contentInputs,
    fields: [],
    async plan(ctx: Ctx) {
      const c = await content(ctx, models);
      const cms = await readCms(threescaleOf(ctx));
      return planContent(cms, c, ctx.services.http.fetch, portalSettingsOf(ctx).developerUrl);
    },
    async apply(ctx: Ctx, plan) {
      await applyContent(threescaleOf(ctx), plan, await content(ctx, models));
    },
    async verify(ctx: Ctx): Promise<PortalContentOutputs> {
      const c = await content(ctx, models);
      const cms = await readCms(threescaleOf(ctx));
      const problems: string[] = [];
      for (const t of c.templates) {
        const found = matchingTemplates(cms.templates, t);
        if (found.length !== 1) problems.push(`${found.length} CMS templates for ${templateLabel(t)} (expected 1)`);
        else if (found[0]?.published !== t.draft) problems.push(`${templateLabel(t)} is not published as uploaded`);
      }
      for (const f of c.files) {
        const n = cms.files.filter((x) => x.path === f.path).length;
        if (n !== 1) problems.push(`${n} CMS files at ${f.path} (expected 1)`);
      }
      const developerUrl = portalSettingsOf(ctx).developerUrl.replace(/\/+$/, '');
      for (const path of pagePaths(c)) {
        const page = await getPage(ctx.services.http.fetch, `${developerUrl}${path}`);
        if (page.status !== 200) problems.push(`${developerUrl}${path} answered HTTP ${page.status}`);
      }
      if (problems.length > 0) {
        throw new UserError('portal.content-drift', `the developer portal content differs from what was uploaded: ${problems.join('; ')}`, { fix: 'run `maas-wizard retry portal.content`' });
      }
      return { pages: pagePaths(c) };
    },
    explain: {
      what: 'Uploads this project\'s developer portal: a layout, a home page listing every served model with its endpoint, a page showing each of your applications with its endpoint URL, model name, key and a curl line to copy, an examples page (chat and embeddings, Python and curl), and a stylesheet. Then publishes them.',
      why: 'The default portal content describes a sample Echo API. Pages are matched by path and templates by system name, so running again updates them in place (a page edited by hand is put back) instead of adding duplicates.',
      commands: [
        'curl -s "$ADMIN/admin/api/cms/templates.json?access_token=$TOKEN&content=true"',
        'curl -s -X POST "$ADMIN/admin/api/cms/templates.json" -d access_token=$TOKEN -d type=page -d system_name=maas_keys -d title="Your API keys" -d path=/keys -d layout_name=maas_layout --data-urlencode draft@keys.html',
        'curl -s -X PUT "$ADMIN/admin/api/cms/templates/$ID/publish.json" -d access_token=$TOKEN',
        'curl -s -X POST "$ADMIN/admin/api/cms/files.json" -F access_token=$TOKEN -F path=/css/maas.css -F attachment=@maas.css',
      ],
    },
  };
}
