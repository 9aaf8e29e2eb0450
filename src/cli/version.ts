/**
 * The wizard's own version, read once from the project's package.json (the `version` field),
 * whether running from src/ (tests) or from dist/src/ (the built CLI).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/** Directory holding the maas-wizard package.json, found by walking up from this file. Throws when absent. */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string };
      if (pkg.name === 'maas-wizard') return dir;
    }
    dir = dirname(dir);
  }
  throw new Error('package.json of maas-wizard not found above ' + fileURLToPath(import.meta.url));
}

/** The `version` of package.json, e.g. `0.1.0`. */
export function wizardVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version?: string };
    cached = pkg.version ?? '0.0.0';
  }
  return cached;
}
