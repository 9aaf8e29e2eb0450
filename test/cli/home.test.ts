import { describe, expect, it } from 'vitest';
import { configHome, demoStateDir } from '../../src/cli/home.js';
import { describeChange, describeProgress, formatBytes, formatDuration } from '../../src/cli/hosts/format.js';
import { summaryLines } from '../../src/cli/summary.js';

describe('config home', () => {
  it('MAAS_WIZARD_HOME wins, relative to the working directory', () => {
    expect(configHome({ MAAS_WIZARD_HOME: '/srv/mw', XDG_CONFIG_HOME: '/x' })).toBe('/srv/mw');
    expect(configHome({ MAAS_WIZARD_HOME: 'state' }, '/home/me')).toBe('/home/me/state');
  });
  it.skipIf(process.platform !== 'linux')('else XDG_CONFIG_HOME/maas-wizard on Linux', () => {
    expect(configHome({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/maas-wizard');
  });
  it('the demo state lives under the home', () => {
    expect(demoStateDir('/srv/mw')).toBe('/srv/mw/demo-state');
  });
});

describe('text formats', () => {
  it('sizes, durations, progress and changes read as a person expects', () => {
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(1_500_000_000)).toBe('1.5 GB');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    expect(describeProgress({ item: 'granite', fraction: 0.5, bytesPerSecond: 150_000_000, message: 'copying' })).toBe('granite: 50% 150 MB/s — copying');
    expect(describeChange({ action: 'update', target: 'Namespace llm-hosting', diff: [{ path: 'metadata.labels.a', from: undefined, to: 'true' }] })).toEqual([
      'update Namespace llm-hosting',
      '  metadata.labels.a: (none) → "true"',
    ]);
    expect(describeChange({ action: 'create', target: 'client 3scale in realm maas', call: { service: 'keycloak', method: 'POST', path: '/admin/realms/maas/clients' } })[0]).toBe(
      'create client 3scale in realm maas (POST /admin/realms/maas/clients)',
    );
  });
});

describe('summary', () => {
  it('a failed run names the step, the error, the fix and the retry command', () => {
    const lines = summaryLines(
      { result: 'failed', states: { a: 'done', b: 'failed', c: 'pending' }, firstError: { code: 'x', message: 'boom', fix: 'do this', step: 'b', phase: 'apply' } },
      { command: 'maas-wizard --demo', tookMs: 65_000 },
    );
    expect(lines).toEqual([
      'steps: 1 done, 1 failed (b), 1 not started — took 1 min 5 s',
      'error: b (apply): boom',
      'fix: do this',
      'next: fix the cause, then `maas-wizard --demo retry b`; `maas-wizard --demo status` shows every step',
    ]);
  });
});
