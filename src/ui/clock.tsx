/**
 * Time on screen: whether animations are frozen (stable snapshots) and what "now" is.
 * Frozen when the `frozen` prop is set or `MAAS_WIZARD_FREEZE_SPINNERS=1`; then spinners
 * stay on their first frame and running times use the injected `now` (or a placeholder),
 * never the wall clock.
 */
import { createContext, useContext } from 'react';
import { useAnimation } from 'ink';

/** The clock settings of one mounted App. `now` in ms since epoch, used only when frozen. */
export interface ClockSettings {
  frozen: boolean;
  now?: number;
}

/** React context carrying the clock settings; default: live. */
export const ClockContext = createContext<ClockSettings>({ frozen: false });

/** True when the environment asks for frozen spinners (`MAAS_WIZARD_FREEZE_SPINNERS=1`). */
export function frozenFromEnv(env: Record<string, string | undefined> = process.env): boolean {
  return env['MAAS_WIZARD_FREEZE_SPINNERS'] === '1';
}

/**
 * The current time for elapsed-time displays, in ms since epoch: the wall clock refreshed every
 * second when live; the injected `now` (possibly undefined → placeholder) when frozen.
 */
export function useNow(): number | undefined {
  const { frozen, now } = useContext(ClockContext);
  useAnimation({ interval: 1000, isActive: !frozen });
  return frozen ? now : Date.now();
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** The current spinner character (braille dots, 80 ms per frame); the first frame when frozen. */
export function useSpinnerFrame(): string {
  const { frozen } = useContext(ClockContext);
  const { frame } = useAnimation({ interval: 80, isActive: !frozen });
  return FRAMES[frozen ? 0 : frame % FRAMES.length] ?? '⠋';
}
