/**
 * The cluster a command works on: with `--demo` the in-process simulated cluster (state under the
 * demo profile, so it is the one the wizard set up), else the kubeconfig; then the services
 * bag. Shared by the commands that act on a saved setup (`verify`, `destroy`).
 */
import { demoStateDir } from './home.js';
import type { CliIo } from './io.js';
import { loadCreateServices, loadStartSimulation } from './lazy.js';
import type { CreateServicesOptions, ServicesLike } from './lazy.js';
import type { GlobalOptions } from './options.js';

/**
 * Starts the simulation when `--demo` (realistic timing and the default demo speed unless given)
 * and builds the services; pushes their stops onto `cleanups` (run them in reverse order).
 * @param home the wizard's home (`$MAAS_WIZARD_HOME`).
 * @param scenarios checked `--scenario` names.
 * @throws what startSimulation and createServices throw (UserError for a bad kubeconfig).
 */
export async function connectCluster(
  opts: GlobalOptions,
  io: CliIo,
  home: string,
  scenarios: readonly string[],
  cleanups: (() => Promise<void>)[],
  createServices?: (o: CreateServicesOptions) => Promise<ServicesLike>,
): Promise<ServicesLike> {
  let inline: object | undefined;
  let ingressAddress = opts.ingressAddress;
  if (opts.demo) {
    const { DEFAULT_DEMO_SPEED } = await import('./run.js');
    const sim = await (await loadStartSimulation())({
      stateDir: demoStateDir(home),
      timing: opts.demoTiming ?? 'realistic',
      speed: opts.demoSpeed ?? DEFAULT_DEMO_SPEED,
      ...(scenarios.length > 0 ? { scenarios: [...scenarios] } : {}),
    });
    cleanups.push(() => sim.stop());
    inline = sim.kubeconfig();
    ingressAddress ??= sim.ingressAddress;
  }
  const create = createServices ?? (await loadCreateServices());
  const services = await create({
    ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context ? { context: opts.context } : {}),
    ...(inline ? { inlineKubeconfig: inline } : {}),
    ...(ingressAddress ? { ingressAddress } : {}),
    env: io.env,
  });
  if (services.close) cleanups.push(() => services.close?.() ?? Promise.resolve());
  return services;
}
