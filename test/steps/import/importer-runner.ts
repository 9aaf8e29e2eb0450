/**
 * Test stand-in for the importer container (templates/importer/import.py) in the simulated
 * cluster: registered as the simulation's Job runner for `app.kubernetes.io/name=model-importer`
 * Jobs, it reads the Job's environment the way the container gets it (env, `envFrom` the data
 * connection Secret, `HF_TOKEN` from its Secret), copies the files from the Hub stand-in into the
 * simulated S3 through the same kind of clients, and prints import.py's JSON lines to the pod log.
 * The simulation has no runner of its own for this Job yet.
 */
import { HubClient } from '../../../src/cluster/huggingface.js';
import { createS3Client, listObjectSizes, uploadStream } from '../../../src/cluster/s3.js';
import type { HttpLayer } from '../../../src/cluster/http.js';
import type { RunningSimulation } from '../../../src/sim/index.js';
import type { StoredObject } from '../../../src/sim/types.js';

interface Container {
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { secretRef?: { name: string } }[];
}

/** How the stand-in behaves: `failWith` makes it print an error line and exit 1 instead. */
export interface RunnerOptions {
  failWith?: { status: number; message: string };
  /** The S3 endpoint the "pod" uses (the in-cluster host is not reachable from the test process). */
  s3Endpoint: string;
}

/** Registers the stand-in; returns unregister. */
export function registerImporterRunner(sim: RunningSimulation, http: HttpLayer, options: RunnerOptions): () => void {
  const secret = (ns: string, name: string): Record<string, string> => {
    const s = sim.store.get(sim.kinds.byKind('Secret'), ns, name);
    return Object.fromEntries(Object.entries((s?.['data'] ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  };
  return sim.registerJobRunner(
    (job: StoredObject) => job.metadata.labels?.['app.kubernetes.io/name'] === 'model-importer',
    async (job, log, signal) => {
      const ns = job.metadata.namespace ?? '';
      const c = ((job['spec'] as { template: { spec: { containers: Container[] } } }).template.spec.containers[0] ?? {}) as Container;
      const env: Record<string, string> = {};
      for (const from of c.envFrom ?? []) if (from.secretRef) Object.assign(env, secret(ns, from.secretRef.name));
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef;
        const v = ref ? secret(ns, ref.name)[ref.key] : e.value;
        if (v !== undefined) env[e.name] = v;
      }
      const emit = (o: object): void => log(JSON.stringify(o));
      log('Collecting boto3');
      if (options.failWith) {
        emit({ event: 'error', ...options.failWith });
        throw new Error('exit status 1');
      }
      const repo = env['REPO_ID'] ?? '';
      const files = JSON.parse(env['FILES'] ?? '[]') as { path: string; size: number }[];
      const bucket = env['AWS_S3_BUCKET'] ?? '';
      const s3 = createS3Client({ endpoint: options.s3Endpoint, region: env['AWS_DEFAULT_REGION'] ?? '', accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? '', http });
      const hub = new HubClient({ hubUrl: env['HF_ENDPOINT'] ?? '', http, signal, ...(env['HF_TOKEN'] ? { token: env['HF_TOKEN'] } : {}) });
      try {
        const present = await listObjectSizes(s3, bucket, `${repo}/`, options.s3Endpoint);
        emit({ event: 'start', repo, files: files.length, bytes: files.reduce((n, f) => n + f.size, 0) });
        for (const f of files) {
          if (present.get(`${repo}/${f.path}`) === f.size) {
            emit({ event: 'skip', file: f.path, size: f.size });
            continue;
          }
          const { stream } = await hub.open(repo, f.path);
          await uploadStream(s3, { bucket, key: `${repo}/${f.path}`, body: stream, partSize: Number(env['PART_SIZE']), signal, endpoint: options.s3Endpoint, onProgress: (n) => emit({ event: 'progress', file: f.path, bytes: n, size: f.size }) });
          emit({ event: 'file-done', file: f.path, size: f.size });
        }
        emit({ event: 'done', files: files.length });
      } finally {
        s3.destroy();
      }
    },
  );
}
