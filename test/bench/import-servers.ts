/**
 * The benchmark's stand-ins on loopback: the Hugging Face Hub stand-in (src/sim/hub) serving one
 * generated model whose weights file has the size asked for (bytes produced on the fly, never
 * held whole), and the simulated S3 (src/sim/s3) with one bucket, each on 127.0.0.1, port 0.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHub } from '../../src/sim/hub/index.js';
import type { HubModel } from '../../src/sim/hub/index.js';
import { createS3 } from '../../src/sim/s3/index.js';

/** The repo the benchmark copies and its weights file. */
export const BENCH_REPO = 'bench/generated-model';
export const BENCH_FILE = 'model.safetensors';
export const BENCH_BUCKET = 'bench';

/** Running stand-ins: URLs, the S3 keys (memory only), and stop(). */
export interface BenchServers {
  hubUrl: string;
  s3Url: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** A model of one weights file of `bytes` bytes (plus its generated config.json). */
function benchModel(bytes: number): HubModel {
  return {
    id: BENCH_REPO, gated: false, pipelineTag: 'text-generation', libraryName: 'transformers', license: 'apache-2.0', tags: [],
    config: { architectures: ['LlamaForCausalLM'], model_type: 'llama', max_position_embeddings: 4096 },
    files: [{ path: 'config.json', size: 0, lfs: false }, { path: BENCH_FILE, size: bytes, lfs: true }],
  };
}

/** Starts the Hub stand-in (weights of `bytes` bytes) and the simulated S3 with bucket BENCH_BUCKET. */
export async function startBenchServers(bytes: number): Promise<BenchServers> {
  const hub = createHub({ catalog: [benchModel(bytes)] });
  const s3 = await createS3();
  await s3.ensureBucket(BENCH_BUCKET);
  const hubServer = createServer((req, res) => void hub.handler(req, res));
  const s3Server = createServer((req, res) => void s3.handler(req, res));
  const [hubUrl, s3Url] = await Promise.all([listen(hubServer), listen(s3Server)]);
  return {
    hubUrl, s3Url, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey,
    async stop() {
      hubServer.closeAllConnections();
      s3Server.closeAllConnections();
      await Promise.all([hubServer, s3Server].map((s) => new Promise((resolve) => s.close(resolve))));
      await s3.close();
    },
  };
}
