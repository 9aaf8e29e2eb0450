/**
 * Whole-run benchmarks (issue #10 item 5): the wizard in-process (`main()`, real steps and
 * adapters, no TTY, `--yes`) against a fresh simulated cluster with every backend, the guide's
 * three models, the import from this machine (`import.method: local`: the in-cluster Job is
 * flaky under load, see test/e2e/helpers.ts). Counts come from the simulation's request log
 * through test/reliability/load.ts `measureLoad` (the reliability harness's own counter).
 * Times in milliseconds; the speed factor divides simulated durations (src/sim/durations.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { defaultBackends } from '../../src/sim/backends.js';
import { DEMO_HF_TOKEN } from '../../src/sim/hub/auth.js';
import { startSimulation } from '../../src/sim/index.js';
import { runCli, tempDir } from '../cli/helpers.js';
import { measureLoad, runLoadProfile } from '../reliability/load.js';

/** One measured run. */
export interface RunFigures {
  /** Wall time of the wizard run, from start to exit. */
  wallMs: number;
  /** Requests to every simulated service (Kubernetes, Keycloak, 3scale, S3, Hub, models). */
  requests: number;
  /** State-changing requests among them. */
  writes: number;
}

/** A full demo run on `instant` timing (operators finish at once): reliability's load profile. */
export async function runInstant(): Promise<RunFigures & { peakPerSecond: number; hottest: string }> {
  const r = await runLoadProfile({ importMethod: 'local' });
  return { wallMs: r.tookMs, requests: r.total, writes: r.writes, peakPerSecond: r.peakPerSecond, hottest: `${r.hottest.count}× ${r.hottest.request}` };
}

/**
 * A full run on `realistic` timing at `speed` (simulated seconds per real second), with
 * `--concurrency N` when `concurrency` is given, else the wizard's configured default.
 * @throws when the run does not exit 0 (its output's end in the message).
 */
export async function runRealistic(speed: number, concurrency?: number): Promise<RunFigures> {
  const sim = await startSimulation({ backends: defaultBackends(), timing: 'realistic', speed });
  const home = tempDir('maas-bench-');
  try {
    const kubeconfig = join(home, 'kubeconfig.yaml');
    writeFileSync(kubeconfig, stringify(sim.kubeconfig()), { mode: 0o600 });
    writeFileSync(join(home, 'answers.yaml'), stringify({ import: { method: 'local' } }));
    const flags = concurrency === undefined ? [] : ['--concurrency', String(concurrency)];
    const started = performance.now();
    const r = await runCli(['--kubeconfig', kubeconfig, '--profile', 'bench', '--yes', '--answers', 'answers.yaml', ...flags], {
      home,
      input: '',
      env: { HF_TOKEN: DEMO_HF_TOKEN },
    });
    const wallMs = performance.now() - started;
    if (r.code !== 0) throw new Error(`the realistic run exited ${r.code}:\n${r.stdout.text.slice(-2000)}\n${r.stderr.text.slice(-1000)}`);
    const load = measureLoad(sim.requestLog.entries());
    return { wallMs: Math.round(wallMs), requests: load.total, writes: load.writes };
  } finally {
    await sim.stop();
  }
}
