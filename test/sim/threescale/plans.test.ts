/**
 * Application plans' system names in the simulated 3scale: like porta (Plan system_name unique per
 * type and issuer), a second plan "Standard" of one product is refused with 422 "has already been
 * taken", whether the system name is given or derived from the name; another product may reuse it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers.js';
import type { Harness } from './helpers.js';

describe('application plan system names', () => {
  let h: Harness;
  afterEach(async () => h.close());

  const product = async (name: string): Promise<number> => (await h.api('POST', '/admin/api/services.json', { name, system_name: name })).json().service.id;
  const plans = async (service: number): Promise<string[]> =>
    (await h.api('GET', `/admin/api/services/${service}/application_plans.json`)).json().plans.map((p: { application_plan: { system_name: string } }) => p.application_plan.system_name);

  it('refuses a second plan of one product with the same derived system name, and keeps one', async () => {
    h = await start();
    const id = await product('model_a');
    const first = await h.api('POST', `/admin/api/services/${id}/application_plans.json`, { name: 'Standard' });
    expect(first.status).toBe(201);
    expect(first.json().application_plan.system_name).toBe('standard');
    const second = await h.api('POST', `/admin/api/services/${id}/application_plans.json`, { name: 'Standard' });
    expect([second.status, second.json()]).toEqual([422, { errors: { system_name: ['has already been taken'] } }]);
    expect(await plans(id)).toEqual(['standard']);
  });

  it('refuses a given system name that another plan of the product derived, but not in another product', async () => {
    h = await start();
    const a = await product('model_a');
    const b = await product('model_b');
    expect((await h.api('POST', `/admin/api/services/${a}/application_plans.json`, { name: 'Standard' })).status).toBe(201);
    expect((await h.api('POST', `/admin/api/services/${a}/application_plans.json`, { name: 'Gold', system_name: 'standard' })).status).toBe(422);
    expect((await h.api('POST', `/admin/api/services/${b}/application_plans.json`, { name: 'Standard' })).status).toBe(201);
    expect((await h.api('POST', `/admin/api/services/${a}/application_plans.json`, { name: 'Premium' })).status).toBe(201);
    expect((await plans(a)).sort()).toEqual(['premium', 'standard']);
    expect(await plans(b)).toEqual(['standard']);
  });
});
