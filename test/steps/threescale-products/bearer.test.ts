/**
 * Bearer mode `remove-bearer` (STAGES.md §8) end to end: `threescale.apimanager` writes Secret
 * `cp-bearer` (watched-by label), the CustomPolicyDefinition and the APIManager customPolicies
 * entries; the product reads the raw Authorization header; the chain strips `Bearer ` first, so
 * `Authorization: Bearer <key>` passes the production gateway. Switching back to `authorization`
 * removes the references and still serves Bearer keys.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/types.js';
import type { PoliciesOutputs } from '../../../steps/policies/index.js';
import type { ProductOutputs } from '../../../steps/threescale/product.js';
import { adminClient, adminWrites, catalogModel, developerKey, gateway, outputsOf, planOf, runAll, startCluster, stateOf } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const MISTRAL = catalogModel('mistral-7b-instruct');
const PRODUCT = 'threescale.product.mistral-7b-instruct';
const POLICIES = 'policies.mistral-7b-instruct';
type Served = Extract<ProductOutputs, { served: true }>;
type AmSpec = { apicast?: Record<string, { customPolicies?: { name: string; version: string; secretRef: { name: string } }[] } | undefined> };

describe('Bearer mode remove-bearer', () => {
  it('installs the custom policy and serves Bearer keys through the raw Authorization header', async () => {
    cluster = await startCluster([MISTRAL]);
    const { events } = await runAll(cluster.services, [{ model: MISTRAL }], { answers: { 'threescale.apimanager': { bearerMode: 'remove-bearer' } } });
    expect(stateOf(events, POLICIES)).toEqual({ state: 'done' });
    expect(outputsOf(events, 'threescale.apimanager')).toMatchObject({ bearerMode: 'remove-bearer' });
    const { kube } = cluster.services;
    const secret = await kube.get<KubeObject & { data?: Record<string, string> }>('v1', 'Secret', 'cp-bearer', '3scale');
    expect(secret?.metadata.labels?.['apimanager.apps.3scale.net/watched-by']).toBe('apimanager');
    expect(Object.keys(secret?.data ?? {}).sort()).toEqual(['apicast-policy.json', 'init.lua', 'remove-bearer.lua']);
    const cpd = await kube.get<KubeObject & { spec?: { name?: string; version?: string } }>('capabilities.3scale.net/v1beta1', 'CustomPolicyDefinition', 'remove-bearer', '3scale');
    expect(cpd?.spec).toMatchObject({ name: 'remove-bearer', version: '0.1' });
    const am = await kube.get<KubeObject & { spec?: AmSpec }>('apps.3scale.net/v1alpha1', 'APIManager', 'apimanager', '3scale');
    for (const env of ['stagingSpec', 'productionSpec']) {
      expect(am?.spec?.apicast?.[env]?.customPolicies).toEqual([{ name: 'remove-bearer', version: '0.1', secretRef: { name: 'cp-bearer' } }]);
    }

    const product = outputsOf(events, PRODUCT) as Served;
    expect(product.bearerMode).toBe('remove-bearer');
    const api = adminClient(cluster);
    expect(await api.proxy(product.serviceId)).toMatchObject({ credentials_location: 'headers', auth_user_key: 'Authorization' });
    expect((outputsOf(events, POLICIES) as Extract<PoliciesOutputs, { served: true }>).chain).toEqual(['cors', 'remove-bearer', 'upstream_connection', 'apicast']);

    const { key } = await developerKey(api, product.applicationPlanId);
    const url = `${product.productionUrl}/v1/models`;
    expect((await gateway(cluster, url, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    expect((await gateway(cluster, url)).status).toBe(403);

    // A second run in the same mode writes nothing, to the cluster or to 3scale.
    const writes = cluster.sim.faults.writeCount();
    const admin = adminWrites(cluster).length;
    const again = await runAll(cluster.services, [{ model: MISTRAL }], { answers: { 'threescale.apimanager': { bearerMode: 'remove-bearer' } } });
    expect(stateOf(again.events, POLICIES)).toEqual({ state: 'done' });
    expect(planOf(again.events, 'threescale.apimanager').filter((c) => c.action !== 'none')).toEqual([]);
    expect(cluster.sim.faults.writeCount() - writes).toBe(0);
    expect(adminWrites(cluster).length).toBe(admin);

    // Without the remove-bearer entry the raw header "Bearer <key>" is not a key (what the policy is for).
    const chain = await api.policies(product.serviceId);
    await api.updatePolicies(product.serviceId, chain.filter((p) => p.name !== 'remove-bearer'));
    await api.deploy(product.serviceId);
    const staging = await api.latestConfig(product.serviceId, 'sandbox');
    await api.promote(product.serviceId, staging?.version ?? 0);
    expect((await gateway(cluster, url, { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);

    // Back to authorization mode: references removed, chain rewritten, Bearer keys pass again.
    const back = await runAll(cluster.services, [{ model: MISTRAL }]);
    expect(stateOf(back.events, POLICIES)).toEqual({ state: 'done' });
    const am2 = await kube.get<KubeObject & { spec?: AmSpec }>('apps.3scale.net/v1alpha1', 'APIManager', 'apimanager', '3scale');
    expect(am2?.spec?.apicast?.['productionSpec']?.customPolicies ?? []).toEqual([]);
    expect((outputsOf(back.events, POLICIES) as Extract<PoliciesOutputs, { served: true }>).chain).toEqual(['cors', 'upstream_connection', 'apicast']);
    expect((await gateway(cluster, url, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
  });
});
