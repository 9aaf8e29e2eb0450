import { afterEach, describe, expect, it } from 'vitest';
import { makeEnv, statusOf, conditionOf } from './env.js';
import type { TestEnv } from './env.js';

let env: TestEnv;
afterEach(() => env.stop());

const job = (env: TestEnv, name: string): void => {
  env.o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
  env.o.ensure('Job', { metadata: { name, namespace: 'llm-hosting' }, spec: { backoffLimit: 0, template: { metadata: { labels: { app: name } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.access.redhat.com/ubi9/python-311' }] } } } });
};

describe('simulated Jobs', () => {
  it('a Job runs a Pod that exits 0: Pod Succeeded, Job succeeded 1 and Complete', async () => {
    env = makeEnv();
    job(env, 'hello');
    const j = await env.waitFor('Job', 'llm-hosting', 'hello', (x) => statusOf(x)['succeeded'] === 1);
    expect(conditionOf(j, 'Complete')?.status).toBe('True');
    const pods = env.o.list('Pod', 'llm-hosting', 'job-name=hello');
    expect(pods).toHaveLength(1);
    expect(statusOf(pods[0])['phase']).toBe('Succeeded');
  });

  it('a registered runner does the work; its lines go to the pod log; a failure fails the Pod and the Job', async () => {
    env = makeEnv();
    env.jobs.registerJobRunner((j) => j.metadata.name === 'import-ok', async (_j, log) => {
      log('copied 1/2 config.json');
      await Promise.resolve();
      log('copied 2/2 model.safetensors');
    });
    env.jobs.registerJobRunner((j) => j.metadata.name === 'import-bad', (_j, log) => {
      log('starting');
      return Promise.reject(new Error('403 Forbidden: gated repo'));
    });
    job(env, 'import-ok');
    job(env, 'import-bad');
    await env.waitFor('Job', 'llm-hosting', 'import-ok', (x) => statusOf(x)['succeeded'] === 1);
    const okPod = env.o.list('Pod', 'llm-hosting', 'job-name=import-ok')[0];
    expect(env.podLogs.read('llm-hosting', okPod?.metadata.name ?? '')).toEqual(['copied 1/2 config.json', 'copied 2/2 model.safetensors']);
    const bad = await env.waitFor('Job', 'llm-hosting', 'import-bad', (x) => statusOf(x)['failed'] === 1);
    expect(conditionOf(bad, 'Failed')).toMatchObject({ status: 'True', reason: 'BackoffLimitExceeded' });
    const badPod = env.o.list('Pod', 'llm-hosting', 'job-name=import-bad')[0];
    expect(statusOf(badPod)['phase']).toBe('Failed');
    expect(env.podLogs.read('llm-hosting', badPod?.metadata.name ?? '')).toEqual(['starting', 'Error: 403 Forbidden: gated repo']);
  });

  it('a Job still active when the simulation restarted runs again in a new Pod (the old pod went with the old process)', async () => {
    env = makeEnv({
      before: (o) => {
        o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
        o.ensure('Job', { metadata: { name: 'import-again', namespace: 'llm-hosting' }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'registry.access.redhat.com/ubi9/python-311' }] } } } });
        o.setStatus('Job', 'llm-hosting', 'import-again', () => ({ active: 1, startTime: '2026-11-30T00:00:00Z' }));
      },
    });
    const j = await env.waitFor('Job', 'llm-hosting', 'import-again', (x) => statusOf(x)['succeeded'] === 1);
    expect(conditionOf(j, 'Complete')?.status).toBe('True');
  });

  it('an unmanaged Deployment (the wizard\'s own Redis) becomes available with a running Pod', async () => {
    env = makeEnv();
    env.o.ensure('Namespace', { metadata: { name: '3scale' } });
    env.o.ensure('Deployment', { metadata: { name: 'redis', namespace: '3scale' }, spec: { replicas: 1, selector: { matchLabels: { app: 'redis' } }, template: { metadata: { labels: { app: 'redis' } }, spec: { containers: [{ name: 'redis', image: 'registry.redhat.io/rhel9/redis-7' }] } } } });
    const d = await env.waitFor('Deployment', '3scale', 'redis', (x) => statusOf(x)['availableReplicas'] === 1);
    expect(conditionOf(d, 'Available')?.status).toBe('True');
    expect(env.o.list('Pod', '3scale', 'app=redis').map((p) => statusOf(p)['phase'])).toEqual(['Running']);
  });

  it('a Notebook (workbench) gets a Pod, a Service and a Route, then readyReplicas 1 and Ready', async () => {
    env = makeEnv();
    env.o.ensure('Namespace', { metadata: { name: 'llm-hosting' } });
    env.o.ensure('Notebook', { metadata: { name: 'odh-tec', namespace: 'llm-hosting' }, spec: { template: { spec: { containers: [{ name: 'odh-tec', image: 'quay.io/rh-aiservices-bu/odh-tec:latest' }] } } } });
    const nb = await env.waitFor('Notebook', 'llm-hosting', 'odh-tec', (x) => statusOf(x)['readyReplicas'] === 1);
    expect(conditionOf(nb, 'Ready')?.status).toBe('True');
    expect((env.o.get('Route', 'llm-hosting', 'odh-tec')?.['spec'] as { host: string }).host).toBe('odh-tec-llm-hosting.apps.sim.maas.example');
    expect(statusOf(env.o.get('Pod', 'llm-hosting', 'odh-tec-0'))['phase']).toBe('Running');
  });
});
