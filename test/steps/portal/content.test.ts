/**
 * `portal.content` against the simulated cluster: the home page lists the served models (and only
 * those), a signed-in developer's keys page shows each application's endpoint, model name, key
 * and a curl line, the examples page covers chat and embeddings in Python and curl, the
 * stylesheet is served; a second run writes nothing and duplicates nothing (C12); a page edited
 * by hand in the CMS is put back in place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { portalSessionCookie } from '../../../src/sim/threescale/portal.js';
import { adminClient, catalogModels, planOf, portalGet, run, startPortalCluster, stateOf, steps, systemNameOf, threescaleWrites } from './helpers.js';
import type { PortalCluster } from './helpers.js';

let cluster: PortalCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const ONLY = ['portal.content'];
const MODELS = catalogModels(['mistral-7b-instruct', 'nomic-embed-text', 'granite-8b-code-instruct']);
// granite is not served: its product step answers `served: false`.
const STEPS = (): ReturnType<typeof steps> => steps(MODELS, ['granite-8b-code-instruct']);

function gateway(c: PortalCluster, short: string): string {
  return `https://${systemNameOf(catalogModels([short])[0] as (typeof MODELS)[number]).replace(/_/g, '-')}-maas-apicast-production.${c.sim.domain}`;
}

function templates(c: PortalCluster): { id: number; type: string; path?: string | null; system_name?: string | null; published?: string | null }[] {
  return (c.threescale.state.tenant?.cmsTemplates ?? []) as ReturnType<typeof templates>;
}

describe('portal.content', () => {
  it('uploads pages that list the served models and show a signed-in developer their key with a curl line', async () => {
    cluster = await startPortalCluster();
    const c = cluster;
    const { result, events } = await run(c.services, STEPS(), { only: ONLY });
    expect(stateOf(events, 'portal.content')).toEqual({ state: 'done' });
    expect(result.outputs['portal.content']).toEqual({ pages: ['/', '/keys', '/examples'] });

    const home = await portalGet(c, '/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('<link rel="stylesheet" href="/css/maas.css">');
    expect(home.text).toContain('Mistral-7B-Instruct-v0.3');
    expect(home.text).toContain('Chat with mistralai/Mistral-7B-Instruct-v0.3');
    expect(home.text).toContain('Chat model: answers conversations and instructions.');
    expect(home.text).toContain('Embedding model: turns text into vectors');
    expect(home.text).toContain(gateway(c, 'mistral-7b-instruct'));
    expect(home.text).toContain(gateway(c, 'nomic-embed-text'));
    expect(home.text).not.toMatch(/granite/i);
    expect(home.text).toContain('href="/login"'); // anonymous visitor: sign-in offered
    expect(home.text).toContain('class="sso-login"');

    const css = await c.services.http.fetch(`https://maas.${c.sim.domain}/css/maas.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).toContain('.maas-model');

    const examples = await portalGet(c, '/examples');
    expect(examples.text).toContain(`${gateway(c, 'mistral-7b-instruct')}/v1/chat/completions`);
    expect(examples.text).toContain(`${gateway(c, 'nomic-embed-text')}/v1/embeddings`);
    expect(examples.text).toContain('client.chat.completions.create(');
    expect(examples.text).toContain('client.embeddings.create(');
    expect(examples.text).toContain('model="nomic-embed-text"');

    // Anonymous: the keys page asks to sign in.
    expect((await portalGet(c, '/keys')).text).toContain('Sign in to see your applications');

    // A developer with an application on the Mistral product signs in.
    const api = adminClient(c);
    const account = await api.signup({ org_name: 'dev@example.com', username: 'dev', email: 'dev@example.com', password: 'pw-not-kept' });
    const product = await api.services.findBySystemName('mistral_7b_instruct');
    const plan = (await api.applicationPlans(product?.id ?? 0).list()).find((p) => p.name === 'Standard');
    const app = await api.applications(account.id).create({ plan_id: plan?.id ?? 0, name: 'my chat app' });
    expect(app.user_key).toMatch(/^[0-9a-f]{32}$/);
    const tenant = c.threescale.state.tenant;
    if (!tenant) throw new Error('no tenant');
    const keys = await portalGet(c, '/keys', portalSessionCookie(tenant, 'dev'));
    expect(keys.status).toBe(200);
    expect(keys.text).toContain('my chat app');
    expect(keys.text).toContain(`<code class="maas-key">${app.user_key ?? ''}</code>`);
    expect(keys.text).toContain('<code class="maas-model-name">mistral-7b-instruct</code>');
    expect(keys.text).toContain(`<code class="maas-endpoint">${gateway(c, 'mistral-7b-instruct')}</code>`);
    expect(keys.text).toContain(`curl -s ${gateway(c, 'mistral-7b-instruct')}/v1/chat/completions`);
    expect(keys.text).toContain(`-H "Authorization: Bearer ${app.user_key ?? ''}"`);
    expect(keys.text).toContain(`"model":"mistral-7b-instruct"`);
    expect(keys.text).toContain('data-copy="curl-');
    expect(keys.text).toContain('<span class="maas-user-name">dev</span>');
  });

  it('writes nothing on a second run, duplicates nothing, and puts a page edited by hand back in place', async () => {
    cluster = await startPortalCluster();
    const c = cluster;
    const first = await run(c.services, STEPS(), { only: ONLY });
    expect(stateOf(first.events, 'portal.content')).toEqual({ state: 'done' });
    // The tenant's own home page at `/` was updated in place, not duplicated.
    expect(templates(c).filter((t) => t.type === 'page' && t.path === '/')).toHaveLength(1);
    const count = templates(c).length;
    const filesCount = c.threescale.state.tenant?.cmsFiles.length;

    const since = c.sim.requestLog.entries().length;
    const second = await run(c.services, STEPS(), { only: ONLY });
    expect(stateOf(second.events, 'portal.content')).toEqual({ state: 'done' });
    expect(planOf(second.events, 'portal.content').filter((ch) => ch.action !== 'none')).toEqual([]);
    expect(threescaleWrites(c.sim, since)).toEqual([]);
    expect(templates(c)).toHaveLength(count);

    // Someone edits the keys page in the CMS and publishes it.
    const keysPage = templates(c).find((t) => t.type === 'page' && t.path === '/keys');
    const original = keysPage?.published;
    const api = adminClient(c);
    await api.cmsTemplates.update(keysPage?.id ?? 0, { draft: '<p>edited by hand</p>' });
    await api.cmsTemplates.publish(keysPage?.id ?? 0);
    expect((await portalGet(c, '/keys')).text).toContain('edited by hand');

    const third = await run(c.services, STEPS(), { only: ONLY });
    expect(stateOf(third.events, 'portal.content')).toEqual({ state: 'done' });
    const changes = planOf(third.events, 'portal.content').filter((ch) => ch.action !== 'none');
    expect(changes.map((ch) => [ch.action, ch.target])).toEqual([
      ['update', `CMS page /keys (id ${keysPage?.id ?? 0})`],
      ['update', `publish CMS page /keys (id ${keysPage?.id ?? 0})`],
    ]);
    expect(templates(c)).toHaveLength(count);
    expect(c.threescale.state.tenant?.cmsFiles.length).toBe(filesCount);
    expect(templates(c).find((t) => t.id === keysPage?.id)?.published).toBe(original);
    expect((await portalGet(c, '/keys')).text).not.toContain('edited by hand');
  });
});
