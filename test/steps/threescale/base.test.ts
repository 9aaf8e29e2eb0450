/**
 * `threescale.base`: the sample product `API` hidden from developers (default) or deleted (asked,
 * with the warning), the sample account `Developer` removed, the provider-name checkpoint with the
 * admin portal link, and a second run that writes nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/engine/types.js';
import { outputsOf, planOf, run, startThreescaleCluster, stateOf } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const ONLY = ['threescale.base'];

function tenant(c: ThreescaleCluster): { services: { id: number; system_name: string }[]; plans: { type: string; service_id?: number; name: string; state: string }[]; accounts: { org_name: string }[]; activeDocs: { name: string; published: boolean }[]; backends: { name: string }[] } {
  const t = c.threescale.state.tenant;
  if (!t) throw new Error('no tenant');
  return t as unknown as ReturnType<typeof tenant>;
}

async function available(c: ThreescaleCluster): Promise<string | undefined> {
  const am = await c.services.kube.get<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>('apps.3scale.net/v1alpha1', 'APIManager', 'apimanager', '3scale');
  return am?.status?.conditions?.find((x) => x.type === 'Available')?.status;
}

describe('threescale.base', () => {
  it('hides the sample product, removes the sample account, keeps the APIManager Available; a second run writes nothing', async () => {
    cluster = await startThreescaleCluster();
    const first = await run(cluster.services, { only: ONLY });
    expect(stateOf(first.events, 'threescale.base')).toEqual({ state: 'done' });
    const t = tenant(cluster);
    const api = t.services.find((s) => s.system_name === 'api');
    expect(api).toBeDefined();
    const plans = t.plans.filter((p) => p.type === 'application_plan' && p.service_id === api?.id);
    expect(plans.map((p) => [p.name, p.state]).sort()).toEqual([['Basic', 'hidden'], ['Unlimited', 'hidden']]);
    expect(t.activeDocs.find((d) => d.name === 'Echo')?.published).toBe(false);
    expect(t.accounts.some((a) => a.org_name === 'Developer')).toBe(false);
    expect(outputsOf(first.events, 'threescale.base')).toMatchObject({ sampleProduct: 'hidden', sampleAccountRemoved: true });
    expect(await available(cluster)).toBe('True');

    const writes = cluster.sim.faults.writeCount();
    const apiWrites = (): number => cluster?.sim.requestLog.entries().filter((e) => e.service === '3scale' && e.method !== 'GET').length ?? 0;
    const before = apiWrites();
    expect(before).toBeGreaterThanOrEqual(4);
    const second = await run(cluster.services, { only: ONLY });
    expect(stateOf(second.events, 'threescale.base')).toEqual({ state: 'done' });
    expect(planOf(second.events, 'threescale.base').filter((c) => c.action !== 'none')).toEqual([]);
    expect(cluster.sim.faults.writeCount() - writes).toBe(0);
    expect(apiWrites()).toBe(before);
  });

  it('asks the provider-name and time-zone checkpoint with the admin portal link', async () => {
    cluster = await startThreescaleCluster();
    const { events, host } = await run(cluster.services, { only: ONLY, interactive: true });
    expect(stateOf(events, 'threescale.base')).toEqual({ state: 'done' });
    const asked = host.calls.find((c) => c.kind === 'ask' && c.step === 'threescale.base');
    expect(asked?.kind === 'ask' && asked.question).toMatchObject({ kind: 'checkpoint', url: `https://maas-admin.${cluster.sim.domain}/p/admin/account/edit` });
  });

  it('deletes the sample product and its backend only when asked, with the warning', async () => {
    cluster = await startThreescaleCluster();
    const { events } = await run(cluster.services, { only: ONLY, answers: { 'threescale.base': { deleteSampleProduct: true } } });
    expect(stateOf(events, 'threescale.base')).toEqual({ state: 'done' });
    const del = planOf(events, 'threescale.base').find((c) => c.action === 'delete' && c.target.startsWith('product API'));
    expect(del?.note).toMatch(/Available=False/);
    const t = tenant(cluster);
    expect(t.services.some((s) => s.system_name === 'api')).toBe(false);
    expect(t.backends.some((b) => b.name === 'API Backend')).toBe(false);
    expect(outputsOf(events, 'threescale.base')).toMatchObject({ sampleProduct: 'deleted' });
    expect(await available(cluster)).toBe('False');
    // A later run accepts the APIManager without its sample Routes instead of waiting forever.
    const again = await run(cluster.services, { only: ONLY, answers: { 'threescale.base': { deleteSampleProduct: true } } });
    expect(stateOf(again.events, 'threescale.apimanager')).toEqual({ state: 'done' });
    expect(stateOf(again.events, 'threescale.base')).toEqual({ state: 'done' });
  });

  it('retries a 503 of the 3scale API and still finishes', async () => {
    cluster = await startThreescaleCluster();
    await run(cluster.services, { only: ['threescale.apimanager'] });
    cluster.threescale.failNextRequests(1, 503);
    const { events } = await run(cluster.services, { only: ONLY });
    expect(stateOf(events, 'threescale.base')).toEqual({ state: 'done' });
    expect(cluster.sim.requestLog.entries().some((e) => e.service === '3scale' && e.status === 503)).toBe(true);
  });
});
