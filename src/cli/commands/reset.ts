/**
 * `maas-wizard reset STEP`: forgets what the progress file records about STEP and every step
 * that needs it (transitively), after confirmation, so the next run plans them again. Saved
 * inputs are kept (the forms come back prefilled). Cluster objects are NOT deleted.
 * `--yes` skips the question; without a terminal and without `--yes` it refuses (exit 2).
 */
import { confirm } from '@inquirer/prompts';
import { EXIT, UserError } from '../../engine/errors.js';
import { dependantsOf } from '../../engine/graph.js';
import { openProgress } from '../../engine/progress.js';
import type { AnyStep } from '../../engine/types.js';
import { configHome } from '../home.js';
import { hasTty, promptOutput } from '../io.js';
import type { CliIo } from '../io.js';
import type { GlobalOptions } from '../options.js';
import { progressFile, readProgress, resolveProfile } from '../profile.js';
import { wizardVersion } from '../version.js';

/**
 * Runs `reset STEP`. Returns 0 when forgotten, 1 when the person said no.
 * @throws UserError `step.unknown` (exit 2) for a step neither the wizard nor the file knows;
 *   `reset.needs-confirmation` (exit 2) without a terminal and without --yes;
 *   `progress.locked` (exit 2) while a wizard runs on the profile.
 */
export async function runReset(step: string, opts: GlobalOptions, io: CliIo): Promise<number> {
  const home = configHome(io.env, io.cwd);
  const ref = await resolveProfile(opts, io);
  const file = progressFile(home, ref);
  const data = readProgress(file);
  const steps = await knownSteps();
  const inFile = Object.keys(data?.steps ?? {});
  if (!steps.some((s) => s.id === step) && !inFile.includes(step)) {
    const ids = steps.length > 0 ? steps.map((s) => s.id) : inFile;
    throw new UserError('step.unknown', `there is no step "${step}"`, { usage: true, fix: `use one of: ${ids.join(', ') || '(none recorded yet)'}` });
  }
  const ids = [step, ...(steps.some((s) => s.id === step) ? dependantsOf(steps, step) : [])];
  const recorded = ids.filter((id) => inFile.includes(id));
  if (recorded.length === 0) {
    io.stdout.write(`nothing to reset: no step of ${ids.join(', ')} is recorded in ${file}\n`);
    return EXIT.ok;
  }
  const question = `Forget the progress of ${recorded.join(', ')}? The next run plans ${recorded.length === 1 ? 'it' : 'them'} again; nothing is deleted from the cluster.`;
  if (!opts.yes) {
    if (!hasTty(io)) {
      throw new UserError('reset.needs-confirmation', `reset asks before forgetting ${recorded.join(', ')}, but stdin or stdout is not a terminal`, {
        usage: true,
        fix: `add --yes to confirm: maas-wizard reset ${step} --yes`,
      });
    }
    const ok = await confirm({ message: question, default: false }, { input: io.stdin, output: promptOutput(io.stdout) });
    if (!ok) {
      io.stdout.write('nothing was reset\n');
      return EXIT.failed;
    }
  }
  const store = await openProgress({
    dir: home,
    profile: ref.profile,
    ...(ref.server ? { server: ref.server } : {}),
    wizardVersion: wizardVersion(),
    onNotice: (m) => void io.stderr.write(`notice: ${m}\n`),
  });
  try {
    store.forget(recorded);
  } finally {
    await store.close();
  }
  io.stdout.write(`forgot ${recorded.join(', ')}; run \`maas-wizard${opts.demo ? ' --demo' : ''}\` to plan ${recorded.length === 1 ? 'it' : 'them'} again\n`);
  return EXIT.ok;
}

async function knownSteps(): Promise<AnyStep<unknown>[]> {
  try {
    const { loadSteps } = await import('../lazy.js');
    return await loadSteps();
  } catch {
    return [];
  }
}
