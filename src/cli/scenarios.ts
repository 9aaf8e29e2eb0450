/**
 * Checks `--scenario` names against the simulation's list (src/sim/scenarios.ts) before
 * anything starts, so a typo is a usage error (exit 2) naming the flag and the known names.
 */
import { loadScenarios } from './lazy.js';
import { UsageError } from './report-error.js';

/**
 * Returns `names` unchanged when every one is a known scenario.
 * @throws UsageError naming the flag, the unknown names and the known ones.
 */
export async function checkScenarios(names: string[], flag: string): Promise<string[]> {
  if (names.length === 0) return names;
  const known = (await loadScenarios()).map((s) => s.name);
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    throw new UsageError(
      `${flag}: unknown scenario${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}`,
      `use one of: ${known.join(', ')}`,
    );
  }
  return names;
}
