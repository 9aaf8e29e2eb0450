import { afterEach, describe, expect, it } from 'vitest';
import { HubClient } from '../../../src/cluster/huggingface.js';
import { createS3Client } from '../../../src/cluster/s3.js';
import type { Services } from '../../../src/cluster/services.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import { Engine } from '../../../src/engine/run.js';
import type { Change, EngineEvent, KubeObject, Question, StepId } from '../../../src/engine/types.js';
import { copyModel } from '../../../steps/import/copy.js';
import { importSteps } from '../../../steps/import/index.js';
import { selectFiles } from '../../../steps/import/filter.js';
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
const steps = () => [preflightStep, projectStep, ...storageSteps(), ...importSteps()];
const answers = { import: { models: [NOMIC], method: 'workbench' } };
const planOf = (events: EngineEvent[], step: string): Change[] =>
  events.find((e): e is Extract<EngineEvent, { type: 'plan' }> => e.type === 'plan' && e.step === step)?.changes ?? [];

/** A person at the terminal: answers every form with its values, and at the checkpoint does `atCheckpoint`. */
class Person extends ScriptedHost {
  readonly checkpoints: Extract<Question, { kind: 'checkpoint' }>[] = [];
  constructor(private readonly atCheckpoint: () => Promise<void>) {
    super({}, { interactive: true });
  }
  override async ask(step: StepId, question: Question): Promise<unknown> {
    if (question.kind === 'checkpoint') {
      this.checkpoints.push(question);
      await this.atCheckpoint();
    }
    return super.ask(step, question);
  }
}

async function attended(c: StorageCluster, host: Person): Promise<{ result: Awaited<ReturnType<Engine<Services>['run']>>; events: EngineEvent[] }> {
  const engine = new Engine<Services>({ steps: steps(), services: c.services, host, answers, secrets: {}, yes: false, env: {} });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  return { result: await engine.run(), events };
}

/** What ODH-TEC does when the person imports the model: the files from the Hub into `<repo id>/` of the bucket. */
async function importByHand(c: StorageCluster): Promise<void> {
  const storage = (await run(c.services, [preflightStep, projectStep, ...storageSteps()])).result.outputs['storage'] as unknown as StorageOutputs;
  const keys = await c.services.kube.get('v1', 'Secret', storage.secretName, 'llm-hosting');
  const data = Object.fromEntries(Object.entries(keys?.['data'] as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
  const s3 = createS3Client({ endpoint: storage.externalEndpoint, region: storage.region, accessKeyId: data['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: data['AWS_SECRET_ACCESS_KEY'] ?? '', http: c.services.http });
  const hub = new HubClient({ hubUrl: 'https://huggingface.co', http: c.services.http });
  try {
    const files = selectFiles(await hub.listFiles(NOMIC)).files;
    await copyModel(hub, { s3, endpoint: storage.externalEndpoint, bucket: storage.bucket, repoId: NOMIC, files, partSize: 5 * 1024 * 1024, signal: new AbortController().signal, progress: () => undefined });
  } finally {
    s3.destroy();
  }
}

describe('import method workbench (ODH-TEC, as in the guide)', () => {
  it('creates the workbench with the data connection, shows its URL at a checkpoint, then verifies what the person imported', async () => {
    cluster = await startStorageCluster();
    const c = cluster;
    // First the person confirms without importing: verify names what is missing.
    const idle = new Person(async () => undefined);
    const first = await attended(c, idle);
    expect(first.result.firstError).toMatchObject({ code: 'import.incomplete', step: 'import.nomic-embed-text', phase: 'verify' });
    expect(first.result.firstError?.fix).toMatch(/import the files in the ODH-TEC workbench, then run `maas-wizard retry import\.nomic-embed-text`/);
    const plan = planOf(first.events, 'import');
    const notebook = plan.find((ch) => ch.manifest?.kind === 'Notebook')?.manifest as KubeObject;
    expect(notebook).toMatchObject({
      apiVersion: 'kubeflow.org/v1',
      metadata: { name: 'odh-tec', namespace: 'llm-hosting', labels: { 'opendatahub.io/dashboard': 'true' } },
      spec: { template: { spec: { containers: [expect.objectContaining({ image: 'quay.io/rh-aiservices-bu/odh-tec:latest', envFrom: [{ secretRef: { name: 'aws-connection-models' } }] })] } } },
    });
    expect(plan.find((ch) => ch.target.includes(NOMIC))?.note).toMatch(/by hand in the ODH-TEC workbench/);
    const route = await c.services.kube.get('route.openshift.io/v1', 'Route', 'odh-tec', 'llm-hosting');
    const host = (route?.['spec'] as { host: string }).host;
    expect(idle.checkpoints).toEqual([expect.objectContaining({ kind: 'checkpoint', url: `https://${host}/notebook/llm-hosting/odh-tec/` })]);
    expect(idle.checkpoints[0]?.body).toMatch(new RegExp(`${NOMIC} → s3://models-[^/]+/${NOMIC}/`));
    const nb = await c.services.kube.get('kubeflow.org/v1', 'Notebook', 'odh-tec', 'llm-hosting');
    expect((nb?.['status'] as { readyReplicas?: number }).readyReplicas).toBe(1);

    // Then the person imports at the checkpoint: done, and the workbench is left as it is.
    const busy = new Person(() => importByHand(c));
    const second = await attended(c, busy);
    expect(second.result.firstError).toBeUndefined();
    expect(busy.checkpoints).toHaveLength(1);
    expect(planOf(second.events, 'import').find((ch) => ch.target === 'Notebook llm-hosting/odh-tec')?.action).toBe('none');

    // Everything there: no checkpoint any more.
    const third = new Person(async () => undefined);
    expect((await attended(c, third)).result.result).toBe('done');
    expect(third.checkpoints).toEqual([]);
  });

  it('an unattended run refuses the manual method, naming the input and the fix, before creating anything', async () => {
    cluster = await startStorageCluster();
    const { result } = await run(cluster.services, steps(), { answers });
    expect(result.firstError).toMatchObject({ code: 'input.invalid', step: 'import', phase: 'plan' });
    expect(result.firstError?.message).toMatch(/^import\.method: method workbench needs a person/);
    expect(result.firstError?.fix).toMatch(/import\.method to job .* or local/);
    expect(await cluster.services.kube.list('kubeflow.org/v1', 'Notebook', 'llm-hosting')).toEqual([]);
  });
});
