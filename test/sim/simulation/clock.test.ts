import { describe, expect, it } from 'vitest';
import { createClock } from '../../../src/sim/clock.js';
import { normalizeHost } from '../../../src/sim/ingress.js';
import { DURATIONS } from '../../../src/sim/durations.js';

describe('clock', () => {
  it('instant: runs timers on later macrotasks in simulated-time order, not scheduling order', async () => {
    const clock = createClock('instant');
    const seen: string[] = [];
    clock.after(DURATIONS.apiManagerAvailable, () => seen.push('apimanager'));
    clock.after(DURATIONS.obcBound, () => {
      seen.push('obc');
      clock.after(DURATIONS.realmReady, () => seen.push('obc+realm'));
    });
    clock.after(DURATIONS.operatorInstall, () => seen.push('csv'));
    expect(seen).toEqual([]);
    await clock.settled();
    expect(seen).toEqual(['obc', 'obc+realm', 'csv', 'apimanager']);
  });

  it('instant: a cancelled timer never runs; stop drops everything pending', async () => {
    const clock = createClock('instant');
    const seen: string[] = [];
    const cancel = clock.after(1, () => seen.push('cancelled'));
    clock.after(2, () => seen.push('kept'));
    cancel();
    await clock.settled();
    expect(seen).toEqual(['kept']);
    clock.after(1, () => seen.push('after stop'));
    clock.stop();
    await clock.settled();
    expect(seen).toEqual(['kept']);
  });

  it('realistic: durations are divided by the speed and keep their order', async () => {
    const clock = createClock('realistic', 1000);
    const seen: string[] = [];
    clock.after(60, () => seen.push('60s'));
    clock.after(5, () => seen.push('5s'));
    await clock.settled();
    expect(seen).toEqual(['5s', '60s']);
    expect(clock.timing).toBe('realistic');
    expect(clock.speed).toBe(1000);
  });

  it('refuses a speed that is not a positive number', () => {
    expect(() => createClock('realistic', 0)).toThrow(/positive/);
    expect(() => createClock('instant', Number.NaN)).toThrow(/positive/);
  });
});

describe('ingress host names', () => {
  it('strips the port and lowercases', () => {
    expect(normalizeHost('Maas-Admin.apps.SIM.maas.example:8443')).toBe('maas-admin.apps.sim.maas.example');
    expect(normalizeHost('[::1]:80')).toBe('[::1]');
  });
});
