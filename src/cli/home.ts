/**
 * Where the wizard keeps its files: the config home (progress profiles, demo state).
 * `MAAS_WIZARD_HOME` wins; else the user's config directory as `conf` finds it, through
 * env-paths (Linux `$XDG_CONFIG_HOME/maas-wizard` or `~/.config/maas-wizard`, macOS
 * `~/Library/Preferences/maas-wizard`, Windows `%APPDATA%\maas-wizard\Config`).
 */
import { isAbsolute, join, resolve } from 'node:path';
import envPaths from 'env-paths';

/** The config home for this environment (absolute path; not created here). */
export function configHome(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  const fromEnv = env['MAAS_WIZARD_HOME'];
  if (fromEnv && fromEnv.trim() !== '') return isAbsolute(fromEnv) ? fromEnv : resolve(cwd, fromEnv);
  // env-paths reads XDG_CONFIG_HOME / APPDATA from process.env; honour an injected env too.
  const xdg = env['XDG_CONFIG_HOME'];
  if (process.platform === 'linux' && xdg && isAbsolute(xdg)) return join(xdg, 'maas-wizard');
  return envPaths('maas-wizard', { suffix: '' }).config;
}

/** Directory of the simulated cluster's state for `--demo` (so an interrupted demo resumes). */
export function demoStateDir(home: string): string {
  return join(home, 'demo-state');
}
