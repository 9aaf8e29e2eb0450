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
import { registerImporterRunner } from './importer-runner.js';

let cluster: StorageCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const NOMIC = 'nomic-ai/nomic-embed-text-v1.5';
const steps = () => [preflightStep, projectStep, ...storageSteps(), ...importSteps()];
const planOf = (events: EngineEvent[], step: string): Change[] =>
  events.find((e): e is Extract<EngineEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step)?.changes ?? [];
type Container = { env: { name: string; value?: string; valueFrom?: unknown }[]; envFrom: unknown[]; command: string[] };
const containerOf = (job: KubeObject | undefined): Container => (job?.['spec'] as { template: { spec: { containers: Container[] } } }).template.spec.containers[0] as Container;

describe('import method job (in-cluster)', () => {
  it('runs one Job per model with the data connection and token Secret, follows its log into progress, then verifies', async () => {
    cluster = await startStorageCluster();
    const endpoint = `https://ocs-storagecluster-cephobjectstore-openshift-storage.${cluster.sim.domain}`;
    registerImporterRunner(cluster.sim, cluster.services.http, { s3Endpoint: endpoint });
    const { result, events } = await run(cluster.services, steps(), { answers: { import: { models: [NOMIC], method: 'job' } }, secrets: { import: { hfToken: 'hf_demo_valid' } } });
    expect(result.firstError).toBeUndefined();
    const plan = planOf(events, 'import');
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
    expect(progress.at(-1)).toMatchObject({ item: NOMIC, fraction: 1 });
    const out = result.outputs['import'] as unknown as ImportOutputs;
    const storage = result.outputs['storage'] as unknown as StorageOutputs;
    const objects = await cluster.s3.listObjects(storage.bucket, `${NOMIC}/`);
    expect(objects).toHaveLength(out.models[0]?.files ?? -1);
    const jobs = await cluster.services.kube.list('batch/v1', 'Job', 'llm-hosting');
    expect(jobs).toHaveLength(1);

    // Everything copied: a second run creates no Job.
    const again = await run(cluster.services, steps(), { answers: { import: { models: [NOMIC], method: 'job' } } });
    expect(again.result.result).toBe('done');
    expect(planOf(again.events, 'import').filter((ch) => ch.action !== 'none')).toEqual([]);
    expect(await cluster.services.kube.list('batch/v1', 'Job', 'llm-hosting')).toHaveLength(1);
  });

  it('a Job that fails names the model and the importer\'s error; a 403 from the Hub gets the C4 message', async () => {
    cluster = await startStorageCluster();
    const endpoint = `https://ocs-storagecluster-cephobjectstore-openshift-storage.${cluster.sim.domain}`;
    const off = registerImporterRunner(cluster.sim, cluster.services.http, { s3Endpoint: endpoint, failWith: { status: 0, message: 'Connection reset by peer' } });
    const { result } = await run(cluster.services, steps(), { answers: { import: { models: [NOMIC], method: 'job' } } });
    expect(result.firstError).toMatchObject({ code: 'import.job-failed', phase: 'apply' });
    expect(result.firstError?.message).toMatch(new RegExp(`${NOMIC} failed: Connection reset by peer`));
    off();
    registerImporterRunner(cluster.sim, cluster.services.http, { s3Endpoint: endpoint, failWith: { status: 403, message: 'Access to model x is restricted and you are not in the authorized list.' } });
    const gated = await run(cluster.services, steps(), { answers: { import: { models: [NOMIC], method: 'job' } } });
    expect(gated.result.firstError?.code).toBe('hf.gated');
  });
});
