/**
 * The Ink host chosen on a terminal: the CLI mounts src/ui/ink-host.ts through its lazy import
 * and the run completes (with --yes nothing is asked). Switches on once src/ui/ink-host.ts exists.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runWizard } from '../../src/cli/run.js';
import { fakeSteps } from './fake-steps.js';
import { makeIo } from './helpers.js';

const root = join(import.meta.dirname, '../..');
const ready = existsSync(join(root, 'src/ui/ink-host.ts'));
if (!ready) console.warn('skipped: src/ui/ink-host.ts is not there yet');

/** A stdin that passes for a terminal (Ink needs setRawMode, ref and unref). */
function ttyStdin(): PassThrough {
  const s = new PassThrough();
  return Object.assign(s, { isTTY: true, setRawMode: () => s, ref: () => s, unref: () => s });
}

describe.skipIf(!ready)('Ink host', () => {
  it('on a terminal the full-screen wizard runs the steps, then the summary is printed', async () => {
    const { io, stdout } = makeIo({ tty: true, stdin: ttyStdin(), env: { HF_TOKEN: 'hf_x', MAAS_WIZARD_FREEZE_SPINNERS: '1' } });
    const code = await runWizard({ profile: 'lab', yes: true }, io, { mode: 'wizard' }, {
      loadSteps: async () => fakeSteps(),
      createServices: async () => ({ cluster: { server: 'https://api.lab.example.com:6443', context: 'lab', user: 'kube:admin' } }),
    });
    expect(code).toBe(0);
    expect(stdout.text).toContain('profile lab'); // the Ink header
    expect(stdout.text).not.toContain('› planning'); // not the line renderer
    expect(stdout.text).toMatch(/steps: 3 done — took /);
  });
});
