import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { frozenFromEnv } from '../../src/ui/clock.js';
import { NOW, mountApp } from './fixtures.js';
import { waitForFrame } from './helpers.js';

afterEach(() => cleanup());

const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Preflight checks/;

describe('clock', () => {
  it('MAAS_WIZARD_FREEZE_SPINNERS=1 freezes, anything else does not', () => {
    expect(frozenFromEnv({ MAAS_WIZARD_FREEZE_SPINNERS: '1' })).toBe(true);
    expect(frozenFromEnv({ MAAS_WIZARD_FREEZE_SPINNERS: '0' })).toBe(false);
    expect(frozenFromEnv({})).toBe(false);
  });

  it('live: the spinner turns and running times count from the wall clock', async () => {
    const { store, inst } = mountApp({ props: { frozen: false } });
    store.dispatch({ type: 'state', at: Date.now() - 65_000, step: 'preflight', state: 'applying' });
    const first = await waitForFrame(inst, (f) => SPINNER.test(f));
    const char = first.match(SPINNER)?.[0][0];
    const later = await waitForFrame(inst, (f) => SPINNER.test(f) && f.match(SPINNER)?.[0][0] !== char);
    expect(later).toMatch(/Preflight\s+1:0\d/);
  });

  it('frozen: the first spinner frame and the injected now', async () => {
    const { store, inst } = mountApp();
    store.dispatch({ type: 'state', at: NOW - 65_000, step: 'preflight', state: 'applying' });
    const frame = await waitForFrame(inst, (f) => SPINNER.test(f));
    expect(frame).toContain('⠋ Preflight checks');
    expect(frame).toMatch(/Preflight\s+1:05/);
  });
});
