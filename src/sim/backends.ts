/**
 * The services behind the simulated cluster's Routes, all of them, as `--demo` and
 * `maas-wizard sim` run them: Keycloak (RH-SSO), 3scale (admin and CMS APIs, developer portal,
 * APIcast), S3 (the bucket host), the Hugging Face Hub stand-in and the model servers.
 * Tests that need only some pass their own backends to `startSimulation`.
 */
import path from 'node:path';
import { createHub } from './hub/index.js';
import type { BackendsFactory } from './index.js';
import { createKeycloak } from './keycloak/index.js';
import { createModelServer } from './models/index.js';
import { createS3 } from './s3/index.js';
import { createThreescale } from './threescale/index.js';

/**
 * A factory for every backend. With a state directory, S3 keeps its objects under
 * `<stateDir>/s3` (the other backends' state is saved by the simulation itself).
 */
export function defaultBackends(): BackendsFactory {
  return async (env) => ({
    keycloak: createKeycloak(),
    threescale: createThreescale({ domain: env.domain, services: env.services }),
    s3: await createS3({
      ...(env.stateDir ? { dir: path.join(env.stateDir, 's3') } : {}),
      endpointHosts: env.bucketHosts,
    }),
    hub: createHub(),
    modelServer: createModelServer,
  });
}
