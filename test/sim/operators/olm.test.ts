import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, statusOf, conditionOf, subscribe, install } from './env.js';
import type { TestEnv } from './env.js';

let env: TestEnv;
afterEach(() => env.stop());

describe('simulated OLM', () => {
  it('installs rhsso-operator: InstallPlan Complete, CSV phases in order, Subscription AtLatestKnown, Keycloak kinds served only after', async () => {
    env = makeEnv();
    const keycloak = env.kinds.byKind('Keycloak');
    expect(env.kinds.isServed(keycloak)).toBe(false);
    const phases: string[] = [];
    env.store.subscribe((e) => {
      const phase = statusOf(e.object)['phase'];
      if (e.kind.kind === 'ClusterServiceVersion' && typeof phase === 'string' && phases.at(-1) !== phase) {
        phases.push(phase);
        if (phase !== 'Succeeded') expect(env.kinds.isServed(keycloak)).toBe(false);
      }
    });
    subscribe(env, 'rhsso-operator', 'rh-sso');
    const sub = await env.waitFor('Subscription', 'rh-sso', 'rhsso-operator', (s) => statusOf(s)['state'] === 'AtLatestKnown');
    expect(statusOf(sub)['installedCSV']).toBe('rhsso-operator.7.6.11-opr-003');
    expect(statusOf(sub)['currentCSV']).toBe('rhsso-operator.7.6.11-opr-003');
    const ipName = (statusOf(sub)['installPlanRef'] as { name: string }).name;
    expect(ipName).toMatch(/^install-[a-z0-9]{5}$/);
    expect(statusOf(env.o.get('InstallPlan', 'rh-sso', ipName))['phase']).toBe('Complete');
    const csv = await env.waitFor('ClusterServiceVersion', 'rh-sso', 'rhsso-operator.7.6.11-opr-003', (c) => statusOf(c)['phase'] === 'Succeeded');
    expect(phases).toEqual(['Pending', 'InstallReady', 'Installing', 'Succeeded']);
    expect(csv.metadata.annotations?.['olm.targetNamespaces']).toBe('rh-sso');
    expect(env.kinds.isServed(keycloak)).toBe(true);
    expect(env.kinds.isServed(env.kinds.byKind('APIManager'))).toBe(false);
    const dep = env.o.get('Deployment', 'rh-sso', 'rhsso-operator');
    expect(statusOf(dep)['availableReplicas']).toBe(1);
  });

  it('a package missing from the catalog fails resolution with OLM\'s message and makes no CSV', async () => {
    env = makeEnv({ before: (o) => o.remove('PackageManifest', 'openshift-marketplace', '3scale-operator') });
    subscribe(env, '3scale-operator', '3scale');
    const sub = await env.waitFor('Subscription', '3scale', '3scale-operator', (s) => conditionOf(s, 'ResolutionFailed')?.status === 'True');
    const cond = conditionOf(sub, 'ResolutionFailed');
    expect(cond?.reason).toBe('ConstraintsNotSatisfiable');
    expect(cond?.message).toBe('constraints not satisfiable: no operators found in package 3scale-operator in the catalog referenced by subscription 3scale-operator, subscription 3scale-operator exists');
    await env.clock.settled();
    expect(env.o.list('ClusterServiceVersion', '3scale')).toEqual([]);
    expect(statusOf(env.o.get('Subscription', '3scale', '3scale-operator'))['installedCSV']).toBeUndefined();
  });

  it('an unknown channel names the channel', async () => {
    env = makeEnv();
    subscribe(env, '3scale-operator', '3scale', { channel: 'threescale-2.99' });
    const sub = await env.waitFor('Subscription', '3scale', '3scale-operator', (s) => conditionOf(s, 'ResolutionFailed')?.status === 'True');
    expect(conditionOf(sub, 'ResolutionFailed')?.message).toContain('no operators found in channel threescale-2.99 of package 3scale-operator');
  });

  it('an AllNamespaces OperatorGroup fails the CSV with UnsupportedOperatorGroup; fixing it installs', async () => {
    env = makeEnv();
    subscribe(env, 'rhsso-operator', 'rh-sso', { targetNamespaces: [] });
    const csv = await env.waitFor('ClusterServiceVersion', 'rh-sso', 'rhsso-operator.7.6.11-opr-003', (c) => statusOf(c)['phase'] === 'Failed');
    expect(statusOf(csv)['reason']).toBe('UnsupportedOperatorGroup');
    expect(statusOf(csv)['message']).toBe('AllNamespaces InstallModeType not supported, cannot configure to watch all namespaces');
    expect(env.kinds.isServed(env.kinds.byKind('Keycloak'))).toBe(false);
    env.o.update('OperatorGroup', 'rh-sso', 'rh-sso', (og) => {
      og['spec'] = { targetNamespaces: ['rh-sso'] };
    });
    await env.waitFor('ClusterServiceVersion', 'rh-sso', 'rhsso-operator.7.6.11-opr-003', (c) => statusOf(c)['phase'] === 'Succeeded');
    expect(env.kinds.isServed(env.kinds.byKind('KeycloakRealm'))).toBe(true);
  });

  it('no OperatorGroup in the namespace fails the CSV with NoOperatorGroup', async () => {
    env = makeEnv();
    subscribe(env, 'rhsso-operator', 'rh-sso', { targetNamespaces: null });
    const csv = await env.waitFor('ClusterServiceVersion', 'rh-sso', 'rhsso-operator.7.6.11-opr-003', (c) => statusOf(c)['phase'] === 'Failed');
    expect(statusOf(csv)['reason']).toBe('NoOperatorGroup');
    expect(statusOf(csv)['message']).toBe('csv in namespace with no operatorgroups');
  });

  it('installs 3scale on the channel asked, else the default channel', async () => {
    env = makeEnv();
    await install(env, '3scale-operator', 'three-a', 'threescale-2.15');
    expect(env.o.get('ClusterServiceVersion', 'three-a', '3scale-operator.v0.12.3')).toBeDefined();
    await install(env, '3scale-operator', 'three-b');
    expect(env.o.get('ClusterServiceVersion', 'three-b', '3scale-operator.v0.13.1')).toBeDefined();
    expect(env.kinds.isServed(env.kinds.byKind('CustomPolicyDefinition'))).toBe(true);
  });

  it('installPlanApproval Manual waits for the InstallPlan to be approved', async () => {
    env = makeEnv();
    subscribe(env, 'rhsso-operator', 'rh-sso');
    env.o.update('Subscription', 'rh-sso', 'rhsso-operator', (sub) => {
      (sub['spec'] as { installPlanApproval: string }).installPlanApproval = 'Manual';
    });
    const sub = await env.waitFor('Subscription', 'rh-sso', 'rhsso-operator', (x) => statusOf(x)['installPlanRef'] !== undefined);
    const ipName = (statusOf(sub)['installPlanRef'] as { name: string }).name;
    await env.clock.settled();
    expect(statusOf(env.o.get('InstallPlan', 'rh-sso', ipName))['phase']).toBe('RequiresApproval');
    expect(conditionOf(env.o.get('Subscription', 'rh-sso', 'rhsso-operator'), 'InstallPlanPending')?.reason).toBe('RequiresApproval');
    expect(env.o.list('ClusterServiceVersion', 'rh-sso')).toEqual([]);
    env.o.update('InstallPlan', 'rh-sso', ipName, (ip) => {
      (ip['spec'] as { approved: boolean }).approved = true;
    });
    await env.waitFor('ClusterServiceVersion', 'rh-sso', 'rhsso-operator.7.6.11-opr-003', (c) => statusOf(c)['phase'] === 'Succeeded');
    expect(conditionOf(env.o.get('Subscription', 'rh-sso', 'rhsso-operator'), 'InstallPlanPending')).toBeUndefined();
  });
});
