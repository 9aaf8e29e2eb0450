/**
 * Known failure shapes of the SSO stage turned into a sentence and a fix (STAGES.md §6
 * "diagnosis"): refused admin credentials, Keycloak not answering, Keycloak never ready.
 */
import { userErrorOf } from '../../src/engine/errors.js';
import type { Diagnosis } from '../../src/engine/types.js';

/**
 * A diagnosis for errors met while talking to Keycloak or waiting for it; undefined for others.
 * @param namespace the namespace of Red Hat SSO; @param name the Keycloak CR's name.
 */
export function diagnoseKeycloak(error: unknown, namespace: string, name: string): Diagnosis | undefined {
  const user = userErrorOf(error);
  switch (user?.code) {
    case 'keycloak.auth':
      return {
        summary: 'Keycloak refused the admin user and password kept in the operator\'s credential Secret: the Secret was probably edited after Keycloak was created.',
        fix: `put back the password Keycloak was created with in Secret credential-${name} (namespace ${namespace}), or reset the admin password in Keycloak to the one in the Secret; then run again`,
      };
    case 'keycloak.unavailable':
    case 'keycloak.unreachable':
      return {
        summary: 'the Keycloak route does not answer: its pods are not ready, or the route is not reachable from this machine',
        fix: `check \`oc get pods,route -n ${namespace}\`; when the pods are Running and Ready, run again`,
      };
    case 'wait.timeout':
      if (!/Keycloak|realm/.test(user.message)) return undefined;
      return {
        summary: `Keycloak ${namespace}/${name} did not become ready in time (${user.message.replace(/^.*currently /, 'last seen: ')})`,
        fix: `look at \`oc get pods,pvc -n ${namespace}\`: a keycloak-postgresql PVC stuck Pending (no default StorageClass) or an image that cannot be pulled are the usual causes; then run again (the wait resumes)`,
      };
    default:
      return undefined;
  }
}
