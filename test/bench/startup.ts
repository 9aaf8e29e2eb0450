/**
 * Startup benchmark (issue #10 item 5): wall time from spawn to exit of `node -e 0` (the floor),
 * of `maas-wizard --version` (each the median of `runs`), and from spawn to the first interactive
 * frame of `maas-wizard --demo` on a terminal (the demo's scenario picker, drawn by Ink; median of 3), and the
 * two ratios to `node -e 0`. The terminal is a pseudo-terminal from util-linux `script`; without
 * it the frame is not measured (reported as null). Times in milliseconds.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the startup benchmark found; times are medians in milliseconds. */
export interface StartupResult {
  runs: number;
  nodeMs: number;
  versionMs: number;
  versionRatio: number;
  /** null when no pseudo-terminal could be had (`script` missing). */
  firstFrameMs: number | null;
  firstFrameRatio: number | null;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

/** Runs `cmd args` to its exit; resolves its wall time. @throws when it exits non-zero. */
function timeToExit(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const child = spawn(cmd, args, { stdio: 'ignore', env });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

/**
 * Spawns `command` (a shell command line) inside `script` (a pseudo-terminal) in its own process
 * group and resolves the time until its output contains `marker`; then ends that group (only it).
 * @throws when it exits before the marker, or after `timeoutMs` (a failure bound, not a wait).
 */
function timeToOutput(command: string, marker: string, env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'ignore'], env, detached: true });
  let seen = '';
  const stop = (): void => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no "${marker}" within ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      seen += d.toString('utf8');
      if (!seen.includes(marker)) return;
      const ms = performance.now() - started;
      clearTimeout(timer);
      stop();
      resolve(ms);
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!seen.includes(marker)) reject(new Error(`exited ${code} before "${marker}": ${seen.slice(-300)}`));
    });
  });
}

/** True when util-linux `script` runs here. */
async function hasScript(): Promise<boolean> {
  return timeToExit('script', ['-qec', 'true', '/dev/null'], process.env).then(
    () => true,
    () => false,
  );
}

/**
 * Measures startup. `bin` is bin/maas-wizard.js (it runs dist/, so build first). Each run gets a
 * fresh config home (MAAS_WIZARD_HOME), so no saved progress changes what is drawn.
 */
export async function runStartupBench(bin: string, options: { runs?: number; log?: (line: string) => void } = {}): Promise<StartupResult> {
  const runs = options.runs ?? 5;
  const log = options.log ?? (() => undefined);
  const env = (): NodeJS.ProcessEnv => {
    const home = mkdtempSync(join(tmpdir(), 'maas-bench-'));
    const e: NodeJS.ProcessEnv = { ...process.env, HOME: home, MAAS_WIZARD_HOME: home, KUBECONFIG: join(home, 'none'), TERM: 'xterm-256color', COLUMNS: '80', LINES: '24' };
    // Any CI variable, even empty, makes Ink draw only the last frame (is-in-ci); the wizard would not be interactive.
    for (const k of ['CI', 'CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'NO_COLOR']) delete e[k];
    return e;
  };
  const node: number[] = [];
  const version: number[] = [];
  for (let i = 0; i < runs; i++) {
    node.push(await timeToExit(process.execPath, ['-e', '0'], env()));
    version.push(await timeToExit(process.execPath, [bin, '--version'], env()));
  }
  const nodeMs = median(node);
  const versionMs = median(version);
  log(`node -e 0 ${nodeMs.toFixed(0)} ms, --version ${versionMs.toFixed(0)} ms (medians of ${runs})`);
  let firstFrameMs: number | null = null;
  if (await hasScript()) {
    const frames: number[] = [];
    // The first frame of a demo on a terminal: the scenario picker (src/ui/scenario-picker.tsx).
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} --demo`;
    for (let i = 0; i < 3; i++) frames.push(await timeToOutput(command, 'Simulated cluster', env()));
    firstFrameMs = median(frames);
    log(`first interactive frame ${firstFrameMs.toFixed(0)} ms (median of ${frames.length})`);
  } else {
    log('first interactive frame: not measured (util-linux `script` not found for a pseudo-terminal)');
  }
  const ratio = (ms: number): number => Math.round((ms / nodeMs) * 10) / 10;
  return {
    runs,
    nodeMs: Math.round(nodeMs),
    versionMs: Math.round(versionMs),
    versionRatio: ratio(versionMs),
    firstFrameMs: firstFrameMs === null ? null : Math.round(firstFrameMs),
    firstFrameRatio: firstFrameMs === null ? null : ratio(firstFrameMs),
  };
}
