/**
 * The whole wizard, unattended (`maas-wizard --demo --yes --demo-timing instant`, no terminal):
 * every step done with the outputs a person copies from the end of the run, the summary last,
 * and a second run that only re-verifies: no write request reaches the cluster.
 */
import { describe, expect, it } from 'vitest';
import { MODEL_NAMES, SERVING_STEPS, importJobHungUp, readStatus, runDemo, startControlledCluster, tail, writesIn } from './helpers.js';

const KNOWN_BUG = 'known bug outside test/e2e: the simulated import Job failed with "socket hang up" (src/sim/operators/importer.ts / pod-network.ts, machine under load); resuming once';

const ALL_STEPS = [
  'preflight',
  'project',
  'storage',
  'data-connection',
  'import',
  ...MODEL_NAMES.map((m) => `import.${m}`),
  ...SERVING_STEPS,
  'sso.operator',
  'sso.keycloak',
  'sso.client',
  'sso.identity-provider',
  'threescale.operator',
  'threescale.databases',
  'threescale.apimanager',
  'threescale.base',
  ...MODEL_NAMES.map((m) => `threescale.product.${m}`),
  ...MODEL_NAMES.map((m) => `policies.${m}`),
  'portal.settings',
  'portal.content',
  'verify',
];

describe('maas-wizard --demo --yes (no terminal)', () => {
  it('sets everything up, reports every step done with its URLs, ends with the summary, and a second run changes nothing', async () => {
    let first = await runDemo();
    if (importJobHungUp(first)) {
      console.warn(KNOWN_BUG);
      first = await runDemo([], { home: first.home });
    }
    expect(first.stderr.text).not.toMatch(/unexpected error|internal error|Raw mode/);
    expect(first.code, tail(first)).toBe(0);

    const status = await readStatus(first.home);
    expect(status.steps.map((s) => s.step).sort()).toEqual([...ALL_STEPS].sort());
    for (const s of status.steps) expect(s.state, `${s.step} state`).toBe('done');
    const outputs = (id: string): Record<string, unknown> => status.steps.find((s) => s.step === id)?.outputs ?? {};

    // Each model's in-cluster URL: what the 3scale backend will point at.
    SERVING_STEPS.forEach((id, i) => {
      expect(outputs(id)['url']).toBe(`http://${MODEL_NAMES[i]}-predictor.llm-hosting.svc.cluster.local`);
    });
    // The portals, from the cluster's own Routes (C10), and the SSO issuer.
    expect(outputs('threescale.apimanager')).toMatchObject({
      adminUrl: 'https://maas-admin.apps.sim.maas.example',
      developerUrl: 'https://maas.apps.sim.maas.example',
    });
    expect(outputs('sso.keycloak')['issuer']).toBe('https://keycloak-rh-sso.apps.sim.maas.example/auth/realms/maas');
    expect(outputs('sso.client')).toMatchObject({ clientId: '3scale', redirectUris: ['https://maas.apps.sim.maas.example/*'] });

    // Line output, ending with the summary.
    const lines = first.stdout.lines();
    expect(lines.at(-2)).toMatch(new RegExp(`^steps: ${ALL_STEPS.length} done — took `));
    expect(lines.at(-1)).toBe('all done; `maas-wizard --demo status` lists every step and its outputs');

    // Second run on the saved demo state: still exit 0, every step only verified.
    const second = await runDemo(['--output', 'json'], { home: first.home });
    expect(second.code, tail(second)).toBe(0);
    const events = second.stdout.lines().map((l) => JSON.parse(l) as { type: string; step?: string; state?: string; changes?: { action: string }[] });
    const plans = events.filter((e) => e.type === 'plan');
    expect(plans.flatMap((p) => (p.changes ?? []).filter((c) => c.action !== 'none').map((c) => `${p.step}: ${c.action}`))).toEqual([]);
    expect(events.filter((e) => e.type === 'state' && e.state === 'applying')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', result: 'done' });
  });

  it('a second run against the same cluster sends no write request to any service (request log)', async () => {
    const cluster = await startControlledCluster();
    try {
      let first = await cluster.wizard();
      if (importJobHungUp(first)) {
        console.warn(KNOWN_BUG);
        first = await cluster.wizard();
      }
      expect(first.code, tail(first)).toBe(0);
      const before = cluster.sim.requestLog.entries().length;
      expect(writesIn(cluster.sim.requestLog.entries()).length).toBeGreaterThan(20); // the first run did write

      const second = await cluster.wizard();
      expect(second.code, tail(second)).toBe(0);
      const secondRun = cluster.sim.requestLog.entries().slice(before);
      expect(secondRun.length).toBeGreaterThan(0); // it did look (verify reads back)
      expect(writesIn(secondRun)).toEqual([]);
      expect(second.stdout.text).toMatch(new RegExp(`steps: ${ALL_STEPS.length} done`));
    } finally {
      await cluster.stop();
    }
  });
});
