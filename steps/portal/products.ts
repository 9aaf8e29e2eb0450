/**
 * The models the portal pages list: for each catalog entry, the outputs of its product step
 * (`threescale.product.<short>`, contracts-s2.md) joined with the product as 3scale holds it
 * (name and description, AM API "Service Read"). Models not served (`served: false`) are left out.
 */
import type { ThreescaleClient } from '../../src/cluster/threescale/client.js';
import { UserError } from '../../src/engine/errors.js';
import type { DefaultsContext } from '../../src/engine/types.js';
import type { CatalogEntry } from '../import/catalog.js';
import type { PortalModel } from './render.js';
import { productStepId } from './shared.js';
import type { PortalProductOutputs } from './shared.js';

/**
 * The served models, in catalog order, as the pages show them.
 * @throws UserError `portal.product-unknown` when a product step has no outputs yet,
 *   `portal.product-missing` when its product is gone from 3scale; what the client throws.
 */
export async function servedModels(ctx: DefaultsContext, models: readonly CatalogEntry[], api: ThreescaleClient): Promise<PortalModel[]> {
  const out: PortalModel[] = [];
  for (const m of models) {
    const id = productStepId(m.name);
    const p = ctx.outputs(id) as PortalProductOutputs | undefined;
    if (!p) throw new UserError('portal.product-unknown', `the product step ${id} has not finished`, { fix: `run \`maas-wizard retry ${id}\` first` });
    if (!p.served) continue;
    const service = await api.services.get(p.serviceId);
    if (!service) {
      throw new UserError('portal.product-missing', `product ${p.systemName} (id ${p.serviceId}) of model ${p.modelId} is not in 3scale any more`, { fix: `run \`maas-wizard retry ${id}\`` });
    }
    out.push({
      name: service.name,
      description: service.description?.trim() || p.modelId,
      systemName: service.system_name,
      servedModelName: p.servedModelName,
      api: p.api,
      endpoint: p.productionUrl.replace(/\/+$/, ''),
    });
  }
  return out;
}
