import { afterEach, describe, expect, it } from 'vitest';
import type { Change, EngineEvent, KubeObject, Progress } from '../../../src/engine/types.js';
import { importSteps } from '../../../steps/import/index.js';
import type { ImportOutputs } from '../../../steps/import/index.js';
import { preflightStep } from '../../../steps/preflight.js';
import { projectStep } from '../../../steps/project.js';
import { storageSteps } from '../../../steps/storage/index.js';
import type { StorageOutputs } from '../../../steps/storage/index.js';
import { run, startStorageCluster } from '../storage/cluster.js';
import type { StorageCluster } from '../storage/cluster.js';

let cluster: StorageCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const NOMIC = 'nomic-ai/nomic-embed-text-v1.5';
const MISTRAL = 'mistralai/Mistral-7B-Instruct-v0.3';
const steps = () => [preflightStep, projectStep, ...storageSteps(), ...importSteps()];
const planOf = (events: EngineEvent[], step: string): Change[] =>
  events.find((e): e is Extract<EngineEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step)?.changes ?? [];
type Container = { env: { name: string; value?: string; valueFrom?: unknown }[]; envFrom: unknown[]; command: string[] };
const containerOf = (job: KubeObject | undefined): Container => (job?.['spec'] as { template: { spec: { containers: Container[] } } }).template.spec.containers[0] as Container;

describe('import method job (in-cluster), the default', () => {
  it('runs one Job per model with the data connection and token Secret, follows its log into progress per model, then verifies', async () => {
    cluster = await startStorageCluster();
    // No method given: job is the default.
    const { result, events } = await run(cluster.services, steps(), { answers: { import: { models: [NOMIC] } }, secrets: { import: { hfToken: 'hf_demo_valid' } } });
    expect(result.firstError).toBeUndefined();
    const plan = [...planOf(events, 'import'), ...planOf(events, 'import.nomic-embed-text')].filter((c) => c.action !== 'none');
    expect(plan.map((c) => `${c.action} ${c.manifest?.kind ?? c.call?.service ?? ''}`)).toEqual(['create Secret', 'create ConfigMap', 'create Job']);
    const job = plan[2]?.manifest;
    expect(job?.metadata.name).toMatch(/^import-nomic-embed-text-[0-9a-f]{6}$/);
    expect(job?.metadata).toMatchObject({ namespace: 'llm-hosting', annotations: { 'maas-wizard.io/repo-id': NOMIC } });
    expect(job?.['spec']).toMatchObject({ backoffLimit: 0 });
    const c = containerOf(job);
    expect(c.envFrom).toEqual([{ secretRef: { name: 'aws-connection-models' } }]);
    expect(c.env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf-token', key: 'HF_TOKEN', optional: true } } });
    expect(JSON.stringify(job)).not.toContain('hf_demo_valid');
    const cm = await cluster.services.kube.get('v1', 'ConfigMap', 'model-importer', 'llm-hosting');
    expect((cm?.['data'] as Record<string, string>)['import.py']).toContain('def main()');

    const progress = events.filter((e): e is Extract<EngineEvent, { type: 'progress' }> => e.type === 'progress').map((e) => e.progress as Progress);
    const out = result.outputs['import.nomic-embed-text'] as unknown as ImportOutputs;
    const total = out.models[0]?.bytes ?? -1;
    expect(progress.every((p) => p.item === NOMIC && p.bytesTotal === total)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ item: NOMIC, fraction: 1, bytesDone: total });
    expect(progress.at(-1)?.bytesPerSecond).toBeGreaterThan(0);
    const storage = result.outputs['storage'] as unknown as StorageOutputs;
    const objects = await cluster.s3.listObjects(storage.bucket, `${NOMIC}/`);
    expect(objects).toHaveLength(out.models[0]?.files ?? -1);
    const jobs = await cluster.services.kube.list('batch/v1', 'Job', 'llm-hosting');
    expect(jobs).toHaveLength(1);

    // Everything copied: a second run creates no Job.
    const again = await run(cluster.services, steps(), { answers: { import: { models: [NOMIC] } } });
    expect(again.result.result).toBe('done');
    expect([...planOf(again.events, 'import'), ...planOf(again.events, 'import.nomic-embed-text')].filter((ch) => ch.action !== 'none')).toEqual([]);
    expect(await cluster.services.kube.list('batch/v1', 'Job', 'llm-hosting')).toHaveLength(1);
  });

  it('a Hub refusal inside the Job (licence withdrawn after the plan) gets the C4 message; a rerun after the fix replaces the failed Job', async () => {
    cluster = await startStorageCluster();
    const c = cluster;
    const { result } = await run(c.services, steps(), {
      answers: { import: { models: [MISTRAL], method: 'job' } }, secrets: { import: { hfToken: 'hf_demo_valid' } },
      onEvent: (e) => {
        if (e.type === 'plan' && e.step === 'import.mistral-7b-instruct') c.hub.withdrawLicences('hf_demo_valid');
      },
    });
    expect(result.firstError).toMatchObject({ code: 'hf.gated', step: 'import.mistral-7b-instruct', phase: 'apply' });
    const failed = await c.services.kube.list('batch/v1', 'Job', 'llm-hosting');
    expect(failed).toHaveLength(1);
    expect(JSON.stringify(failed[0]?.['status'])).toContain('Failed');

    c.hub.tokens['hf_demo_valid'] = { name: 'demo', acceptedLicences: ['*'] };
    const again = await run(c.services, steps(), { answers: { import: { models: [MISTRAL], method: 'job' } } });
    expect(again.result.firstError).toBeUndefined();
    const jobs = await c.services.kube.list('batch/v1', 'Job', 'llm-hosting');
    expect(jobs.map((j) => j.metadata.name)).toEqual([failed[0]?.metadata.name]);
    expect(JSON.stringify(jobs[0]?.['status'])).toContain('Complete');
  });

  it('a Job failing for another reason names the Job, the model and points at its log', async () => {
    cluster = await startStorageCluster();
    const c = cluster;
    // The data connection's secret key changes after the plan: the importer's S3 calls are refused.
    const { result } = await run(c.services, steps(), {
      answers: { import: { models: [NOMIC], method: 'job' } },
      onEvent: (e) => {
        if (e.type !== 'plan' || e.step !== 'import.nomic-embed-text') return;
        const secret = c.sim.store.get(c.sim.kinds.byKind('Secret'), 'llm-hosting', 'aws-connection-models');
        const data = { ...(secret?.['data'] as Record<string, string>), AWS_SECRET_ACCESS_KEY: Buffer.from('not-the-key').toString('base64') };
        if (secret) c.sim.store.update(c.sim.kinds.byKind('Secret'), { ...secret, data });
      },
    });
    expect(result.firstError).toMatchObject({ code: 'import.job-failed', phase: 'apply' });
    expect(result.firstError?.message).toMatch(new RegExp(`import Job llm-hosting/import-nomic-embed-text-[0-9a-f]{6} of ${NOMIC} failed`));
    expect(result.firstError?.fix).toMatch(/oc logs job\/import-nomic-embed-text-[0-9a-f]{6} -n llm-hosting/);
  });
});
