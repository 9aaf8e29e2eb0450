/**
 * C11: with `cors` after `apicast` a browser preflight (OPTIONS, no key) gets 403 from the gateway;
 * the policies step puts the chain back in order, deploys and promotes, and the preflight passes.
 * Also the diagnoses of a 3scale 5xx and of a chain read back in the wrong order.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ThreescaleApiError } from '../../../src/cluster/threescale/errors.js';
import { UserError } from '../../../src/engine/errors.js';
import { createPoliciesStep } from '../../../steps/policies/index.js';
import { policyChain } from '../../../steps/policies/chain.js';
import { diagnoseThreescale } from '../../../steps/threescale/product-changes.js';
import type { ProductOutputs } from '../../../steps/threescale/product.js';
import { adminClient, catalogModel, gateway, outputsOf, planOf, runAll, startCluster, stateOf } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const MISTRAL = catalogModel('mistral-7b-instruct');
const POLICIES = 'policies.mistral-7b-instruct';
const PREFLIGHT = { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } };

describe('policy chain order', () => {
  it('a chain with cors after apicast fails the preflight; the step restores the order', async () => {
    cluster = await startCluster([MISTRAL]);
    const first = await runAll(cluster.services, [{ model: MISTRAL }]);
    const product = outputsOf(first.events, 'threescale.product.mistral-7b-instruct') as Extract<ProductOutputs, { served: true }>;
    const url = `${product.productionUrl}/v1/chat/completions`;
    expect((await gateway(cluster, url, PREFLIGHT)).status).toBe(204);

    const api = adminClient(cluster);
    const wrong = policyChain('authorization', 300);
    await api.updatePolicies(product.serviceId, [...wrong.filter((p) => p.name !== 'cors'), ...wrong.filter((p) => p.name === 'cors')]);
    await api.deploy(product.serviceId);
    await api.promote(product.serviceId, (await api.latestConfig(product.serviceId, 'sandbox'))?.version ?? 0);
    expect((await gateway(cluster, url, PREFLIGHT)).status).toBe(403);

    const again = await runAll(cluster.services, [{ model: MISTRAL }]);
    expect(stateOf(again.events, POLICIES)).toEqual({ state: 'done' });
    expect(planOf(again.events, POLICIES).filter((c) => c.action !== 'none').map((c) => c.action)).toEqual(['update', 'create', 'create']);
    const preflight = await gateway(cluster, url, PREFLIGHT);
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('diagnoses a 3scale 5xx and a production chain in the wrong order', async () => {
    const fivexx = diagnoseThreescale(new ThreescaleApiError(503, 'POST', '/admin/api/services.json', 'Service Unavailable (after 5 attempts)'));
    expect(fivexx?.summary).toMatch(/answered 503 .*system-app/);
    expect(diagnoseThreescale(new ThreescaleApiError(404, 'GET', '/x', ''))).toBeUndefined();
    const step = createPoliciesStep(MISTRAL);
    const order = await step.diagnose?.({} as never, new UserError('policies.chain-order', 'the production policy chain of m is apicast → cors, expected cors → apicast'));
    expect(order?.summary).toMatch(/preflights .* 403/);
  });
});
