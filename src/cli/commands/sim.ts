/**
 * `maas-wizard sim`: the simulated cluster on its own (src/sim/cli.ts `runSimCommand`), serving
 * until Ctrl-C, with a kubeconfig written for kubectl/oc. `--list-scenarios` prints the failure
 * scenarios. Unknown scenarios are refused before anything starts (exit 2).
 */
import { resolve } from 'node:path';
import { EXIT } from '../../engine/errors.js';
import type { CliIo } from '../io.js';
import { loadRunSimCommand, loadScenarios } from '../lazy.js';
import type { SimFlags } from '../main.js';
import type { GlobalOptions } from '../options.js';
import { checkScenarios } from '../scenarios.js';

/** Runs the simulation until interrupted; returns 0 (130 is not used: stopping it is the normal end). */
export async function runSim(flags: SimFlags, opts: GlobalOptions, io: CliIo): Promise<number> {
  if (flags.listScenarios) {
    for (const s of await loadScenarios()) io.stdout.write(`${s.name.padEnd(24)} ${s.description}\n`);
    return EXIT.ok;
  }
  const scenarios = await checkScenarios(opts.scenario ?? [], '--scenario');
  const cwd = io.cwd ?? process.cwd();
  const controller = new AbortController();
  const off = io.onInterrupt?.(() => controller.abort());
  try {
    const runSimCommand = await loadRunSimCommand();
    await runSimCommand(
      {
        port: flags.port,
        ...(flags.stateDir ? { stateDir: resolve(cwd, flags.stateDir) } : {}),
        kubeconfigOut: resolve(cwd, flags.kubeconfigOut),
        ...(flags.timing ? { timing: flags.timing } : {}),
        ...(flags.speed !== undefined ? { speed: flags.speed } : {}),
        ...(scenarios.length > 0 ? { scenario: scenarios } : {}),
        ...(flags.record ? { record: resolve(cwd, flags.record) } : {}),
      },
      { stdout: io.stdout as unknown as NodeJS.WritableStream, signal: controller.signal },
    );
  } finally {
    off?.();
  }
  return EXIT.ok;
}
