/**
 * The model-import Job copies for real in the simulation: a Job built by the wizard's own manifest
 * builder (steps/import/job.ts `importerJob`) streams the Hub stand-in's files into the simulated
 * bucket, and its pod log holds the importer's JSON lines, which the wizard's parser reads.
 */
import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { importerJob, parseImporterLine } from '../../../steps/import/job.js';
import type { ImporterEvent } from '../../../steps/import/job.js';
import type { CatalogEntry } from '../../../steps/import/catalog.js';
import { startSimulation } from '../../../src/sim/index.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import { createHub } from '../../../src/sim/hub/index.js';
import type { SimHub } from '../../../src/sim/hub/index.js';
import { createS3 } from '../../../src/sim/s3/index.js';
import type { SimS3 } from '../../../src/sim/s3/index.js';
import { bucketEndpoint } from '../../../src/sim/operators/obc.js';
import { Objects, secretValue } from '../../../src/sim/operators/objects.js';
import type { StoredObject } from '../../../src/sim/types.js';

const NS = 'llm-hosting';
const GRANITE = 'ibm-granite/granite-8b-code-instruct-128k';
const MISTRAL = 'mistralai/Mistral-7B-Instruct-v0.3';
const MiB = 1024 * 1024;

let sim: RunningSimulation | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

interface Env { sim: RunningSimulation; o: Objects; hub: SimHub; s3: SimS3; bucket: string }

/** A simulation with the Hub and S3, a Bound claim, the data connection and the token Secret. */
async function setup(token: string, scenarios: string[] = []): Promise<Env> {
  let hub: SimHub | undefined;
  let s3: SimS3 | undefined;
  sim = await startSimulation({
    scenarios,
    backends: async (env) => {
      hub = createHub();
      s3 = await createS3({ endpointHosts: env.bucketHosts });
      return { hub, s3 };
    },
  });
  const s = sim;
  const o = new Objects(s.store, s.kinds);
  o.ensure('Namespace', { metadata: { name: NS } });
  o.ensure('ObjectBucketClaim', { metadata: { name: 'models', namespace: NS }, spec: { generateBucketName: 'models', storageClassName: 'openshift-storage.noobaa.io' } });
  await until(s, () => (o.get('ObjectBucketClaim', NS, 'models')?.['status'] as { phase?: string } | undefined)?.phase === 'Bound');
  const cm = o.get('ConfigMap', NS, 'models') as StoredObject;
  const keys = o.get('Secret', NS, 'models');
  const bucket = String((cm['data'] as Record<string, string>)['BUCKET_NAME']);
  const b64 = (v: string): string => Buffer.from(v).toString('base64');
  o.ensure('Secret', {
    metadata: { name: 'aws-connection-models', namespace: NS },
    data: {
      AWS_ACCESS_KEY_ID: b64(secretValue(keys, 'AWS_ACCESS_KEY_ID') ?? ''), AWS_SECRET_ACCESS_KEY: b64(secretValue(keys, 'AWS_SECRET_ACCESS_KEY') ?? ''),
      AWS_S3_ENDPOINT: b64(bucketEndpoint(cm)), AWS_S3_BUCKET: b64(bucket), AWS_DEFAULT_REGION: b64('us-east-1'),
    },
  });
  o.ensure('Secret', { metadata: { name: 'hf-token', namespace: NS }, data: { HF_TOKEN: b64(token) } });
  if (!hub || !s3) throw new Error('backends not created');
  return { sim: s, o, hub, s3, bucket };
}

/** Resolves when `test` holds (checked on every store change); rejects when the simulation settles without it. */
function until(s: RunningSimulation, test: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (test()) return resolve();
    const off = s.store.subscribe(() => {
      if (!test()) return;
      off();
      resolve();
    });
  });
}

/** Creates the wizard's import Job for `repo`, waits until it finished, returns its outcome and parsed log. */
async function runJob(env: Env, repo: string, name: string, hubUrl = 'https://huggingface.co'): Promise<{ outcome: 'Complete' | 'Failed'; events: ImporterEvent[]; lines: string[]; pod: StoredObject }> {
  const files = (env.hub.files(repo) ?? []).map((f) => ({ path: f.path, size: f.size }));
  const job = importerJob({ id: repo, name } as CatalogEntry, files, { namespace: NS, image: 'registry.access.redhat.com/ubi9/python-312:latest', hubUrl, connection: 'aws-connection-models', tokenSecret: 'hf-token', partSize: 5 * MiB });
  env.o.ensure('Job', job);
  const jobName = String(job.metadata.name);
  const outcome = (): 'Complete' | 'Failed' | undefined => {
    const conds = ((env.o.get('Job', NS, jobName)?.['status'] as { conditions?: { type: string; status: string }[] } | undefined)?.conditions) ?? [];
    return conds.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')?.type as 'Complete' | 'Failed' | undefined;
  };
  await until(env.sim, () => outcome() !== undefined);
  const pod = env.o.list('Pod', NS, `job-name=${jobName}`)[0] as StoredObject;
  const lines = env.sim.podLogs.read(NS, pod.metadata.name);
  return { outcome: outcome() ?? 'Failed', lines, events: lines.map(parseImporterLine).filter((e): e is ImporterEvent => e !== undefined), pod };
}

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** sha256 of a Hub file, downloaded through the ingress (Host `huggingface.co`). */
function hubSha(env: Env, repo: string, file: string): Promise<string> {
  const [host, port] = env.sim.ingressAddress.split(':');
  return new Promise((resolve, reject) => {
    const req = request({ host, port: Number(port), path: `/${repo}/resolve/main/${file}`, headers: { host: 'huggingface.co', authorization: 'Bearer hf_demo_valid' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(sha(Buffer.concat(chunks))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** sha256 of an object, read through the NooBaa S3 Route on the ingress. */
async function bucketSha(env: Env, key: string): Promise<string> {
  const port = env.sim.ingressAddress.split(':')[1];
  const httpAgent = new Agent({
    lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
      opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
  });
  const client = new S3Client({ endpoint: `http://s3-openshift-storage.${env.sim.domain}:${port}`, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: env.s3.accessKeyId, secretAccessKey: env.s3.secretAccessKey }, requestHandler: { httpAgent } });
  try {
    const got = await client.send(new GetObjectCommand({ Bucket: env.bucket, Key: key }));
    return sha(Buffer.from(await got.Body?.transformToByteArray() ?? []));
  } finally {
    client.destroy();
  }
}

describe('the model import Job in the simulation', () => {
  it('copies every file into the bucket (multipart for the large shard), logs the importer\'s JSON lines, then skips what is there', async () => {
    const env = await setup('hf_demo_valid');
    const want = env.hub.files(GRANITE) ?? [];
    expect(want.some((f) => f.size > 5 * MiB)).toBe(true);
    const first = await runJob(env, GRANITE, 'granite-8b');
    expect(first.outcome).toBe('Complete');
    const stored = await env.s3.listObjects(env.bucket, `${GRANITE}/`);
    expect(stored.map((x) => [x.key, x.size]).sort()).toEqual(want.map((f) => [`${GRANITE}/${f.path}`, f.size]).sort());
    // Every line is the importer's JSON, in Python's json.dumps spacing.
    expect(first.events).toHaveLength(first.lines.length);
    expect(first.lines[0]).toBe(`{"event": "start", "repo": "${GRANITE}", "files": ${want.length}, "bytes": ${want.reduce((n, f) => n + f.size, 0)}}`);
    expect(first.events.at(-1)).toEqual({ event: 'done', files: want.length, bytes: want.reduce((n, f) => n + f.size, 0) });
    expect(first.events.filter((e) => e.event === 'file-done').map((e) => (e as { file: string }).file).sort()).toEqual(want.map((f) => f.path).sort());
    expect(first.events.some((e) => e.event === 'progress')).toBe(true);
    // Through the simulated services, as a pod would: Hub downloads and an S3 multipart upload of the large shard.
    const log = env.sim.requestLog.entries();
    expect(log.filter((e) => e.service === 'huggingface' && e.path.includes('/resolve/main/'))).toHaveLength(want.length);
    expect(log.some((e) => e.service === 's3' && e.method === 'PUT' && /partNumber=2/.test(e.path))).toBe(true);
    expect(first.lines.join('\n')).not.toContain('hf_demo_valid');
    // The bytes in the bucket are the Hub's bytes (the large shard, read back through the ODF S3 Route).
    const shard = want.reduce((a, b) => (b.size > a.size ? b : a));
    expect(await bucketSha(env, `${GRANITE}/${shard.path}`)).toBe(await hubSha(env, GRANITE, shard.path));

    // The same plan again (another Job name): everything is already there with the same size.
    const second = await runJob(env, GRANITE, 'granite-8b-again');
    expect(second.outcome).toBe('Complete');
    expect(second.events.filter((e) => e.event === 'skip')).toHaveLength(want.length);
    expect(second.events.filter((e) => e.event === 'file-done')).toHaveLength(0);
  });

  it('a token without the licence of a gated model: the importer\'s 403 error line, exit 1, Job Failed, nothing copied', async () => {
    const env = await setup('hf_demo_no_licence');
    const run = await runJob(env, MISTRAL, 'mistral-7b');
    expect(run.outcome).toBe('Failed');
    const last = run.events.at(-1);
    expect(last).toMatchObject({ event: 'error', status: 403 });
    expect((last as { message: string }).message).toContain('not in the authorized list');
    expect(run.lines.some((l) => l.startsWith('Error:'))).toBe(false);
    const cs = ((run.pod['status'] as { containerStatuses: { state: { terminated?: { exitCode: number } } }[] }).containerStatuses)[0];
    expect(cs?.state.terminated?.exitCode).toBe(1);
    expect(await env.s3.listObjects(env.bucket, `${MISTRAL}/`)).toEqual([]);
  });

  it('bad-hub-token: the demo token is refused, the importer prints the 401 line and the Job fails', async () => {
    const env = await setup('hf_demo_valid', ['bad-hub-token']);
    const run = await runJob(env, GRANITE, 'granite-8b');
    expect(run.outcome).toBe('Failed');
    expect(run.events.at(-1)).toMatchObject({ event: 'error', status: 401, message: 'Invalid credentials in Authorization header' });
  });

  it('a Hub endpoint the cluster cannot resolve: the importer\'s connection error line (status 0) and the Job fails', async () => {
    const env = await setup('hf_demo_valid');
    const run = await runJob(env, GRANITE, 'granite-8b', 'https://hub-mirror.example.invalid');
    expect(run.outcome).toBe('Failed');
    expect(run.events.at(-1)).toMatchObject({ event: 'error', status: 0 });
    expect((run.events.at(-1) as { message: string }).message).toContain('ENOTFOUND hub-mirror.example.invalid');
  });

  it('a data connection Secret that does not exist fails the Job with the kubelet\'s message', async () => {
    const env = await setup('hf_demo_valid');
    env.o.remove('Secret', NS, 'aws-connection-models');
    const run = await runJob(env, GRANITE, 'granite-8b');
    expect(run.outcome).toBe('Failed');
    expect(run.lines).toEqual(['Error: secret "aws-connection-models" not found']);
  });
});
