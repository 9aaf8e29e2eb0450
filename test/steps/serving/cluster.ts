/**
 * Test helper for the serving steps: a simulated cluster (instant timing) with the simulated S3
 * and the model servers as backends, the S3 store also served on a loopback port so a test can
 * put model files into the bucket directly (@aws-sdk/client-s3), a data connection Secret made
 * directly, and stand-in `data-connection` / `import` steps that only hand over outputs (the
 * serving steps need them; their real work is tested in test/steps/storage and test/steps/import).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { createServices } from '../../../src/cluster/services.js';
import type { Services } from '../../../src/cluster/services.js';
import { ScriptedHost } from '../../../src/engine/host.js';
import { Engine } from '../../../src/engine/run.js';
import type { RunResult } from '../../../src/engine/run.js';
import type { AnyStep, EngineEvent, KubeObject } from '../../../src/engine/types.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createModelServer } from '../../../src/sim/models/index.js';
import { createS3 } from '../../../src/sim/s3/index.js';
import type { SimS3 } from '../../../src/sim/s3/index.js';
import { preflightStep } from '../../../steps/preflight.js';
import { projectStep } from '../../../steps/project.js';
import type { ServingModel } from '../../../steps/serving/inputs.js';

export const NS = 'llm-hosting';
export const BUCKET = 'models-4f2a';
export const CONNECTION = 'aws-connection-models';

/** Mistral as the catalog lists it (templates/models/catalog.yaml). */
export const MISTRAL: ServingModel = { id: 'mistralai/Mistral-7B-Instruct-v0.3', name: 'mistral-7b-instruct', kind: 'chat', runtime: 'vllm', maxContext: 32768, maxModelLen: 16384, gpus: 1 };
/** nomic-embed-text as the catalog lists it. */
export const NOMIC: ServingModel = { id: 'nomic-ai/nomic-embed-text-v1.5', name: 'nomic-embed-text', kind: 'embedding', runtime: 'tei', maxContext: 8192, maxModelLen: 8192, gpus: 0 };

/** A running simulation, its S3 store on a loopback port, and services pointed at it. */
export interface ServingCluster {
  sim: RunningSimulation;
  s3: SimS3;
  services: Services;
  /** Puts `files` (path → content) under `<repo id>/` in the bucket. */
  putModel(repoId: string, files: Record<string, string>): Promise<void>;
  /** Creates the namespace and the data connection Secret (labels as given). */
  prepare(labels?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the simulation with S3 + model servers. */
export async function startServingCluster(scenarios: string[] = []): Promise<ServingCluster> {
  const s3 = await createS3();
  const sim = await startSimulation({ timing: 'instant', scenarios, backends: { s3, modelServer: createModelServer } });
  const server = createServer((req, res) => void s3.handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  const services = await createServices({ inlineKubeconfig: sim.kubeconfig(), env: { HOME: '/nonexistent', PATH: process.env['PATH'] ?? '' } });
  await s3.ensureBucket(BUCKET);
  return {
    sim, s3, services,
    async putModel(repoId, files) {
      for (const [file, body] of Object.entries(files)) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${repoId}/${file}`, Body: body }));
    },
    async prepare(labels = { 'opendatahub.io/dashboard': 'true', 'opendatahub.io/managed': 'true' }) {
      const { kube } = services;
      if (!(await kube.get('v1', 'Namespace', NS))) await kube.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
      const b64 = (v: string): string => Buffer.from(v).toString('base64');
      await kube.create({
        apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
        metadata: { name: CONNECTION, namespace: NS, labels, annotations: { 'opendatahub.io/connection-type': 's3', 'openshift.io/display-name': 'models' } },
        data: { AWS_ACCESS_KEY_ID: b64(s3.accessKeyId), AWS_SECRET_ACCESS_KEY: b64(s3.secretAccessKey), AWS_S3_ENDPOINT: b64('http://s3.openshift-storage.svc'), AWS_S3_BUCKET: b64(BUCKET), AWS_DEFAULT_REGION: b64('us-east-1') },
      } as KubeObject);
    },
    async stop() {
      client.destroy();
      await services.close();
      await sim.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await s3.close();
    },
  };
}

/** A stand-in step that does nothing and hands over `outputs`. */
function standIn(id: string, outputs: Record<string, unknown>): AnyStep<Services> {
  return {
    id, stage: id === 'import' ? 'import' : 'data-connection', title: `stand-in ${id}`, needs: ['project'], inputs: z.object({}), fields: [],
    plan: () => Promise.resolve([]), apply: () => Promise.resolve(), verify: () => Promise.resolve(outputs),
    explain: { what: 'test stand-in', why: 'test stand-in', commands: [] },
  };
}

/** Preflight, project, the stand-ins for the data connection and the import of `models`, then `serving`. */
export function withPrerequisites(models: readonly ServingModel[], serving: AnyStep<Services>[]): AnyStep<Services>[] {
  return [
    preflightStep, projectStep,
    standIn('data-connection', { name: CONNECTION, namespace: NS, bucket: BUCKET }),
    standIn('import', { bucket: BUCKET, models: models.map((m) => ({ id: m.id, name: m.name, path: `${m.id}/` })) }),
    ...serving,
  ];
}

/** Runs steps through the engine, unattended; returns the result and every event. */
export async function run(services: Services, steps: AnyStep<Services>[], answers: Record<string, Record<string, unknown>> = {}): Promise<{ result: RunResult; events: EngineEvent[] }> {
  const engine = new Engine<Services>({ steps, services, host: new ScriptedHost({}, { interactive: false }), answers: { project: { namespace: NS }, ...answers }, yes: true, env: {} });
  const events: EngineEvent[] = [];
  engine.on((e) => events.push(e));
  const result = await engine.run();
  return { result, events };
}

/** The plan event of a step. */
export function planOf(events: EngineEvent[], step: string): Extract<EngineEvent, { type: 'plan' }>['changes'] {
  const e = events.find((x): x is Extract<EngineEvent, { type: 'plan' }> => x.type === 'plan' && x.step === step);
  if (!e) throw new Error(`no plan event for ${step}`);
  return e.changes;
}
