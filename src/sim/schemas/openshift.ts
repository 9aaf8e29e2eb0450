/**
 * Schemas of OpenShift and Kubeflow kinds validated like CRDs:
 * - Route (route.openshift.io/v1, openshift/api routes CRD): `spec` and `spec.to` required;
 *   `to.kind` `Service` (or empty), `to.name` non-empty; `host` a DNS name of at most 253
 *   characters; `path` starting with `/`; `port.targetPort` required when `port` is given, neither 0 nor empty;
 *   `tls.termination` one of edge, reencrypt, passthrough; `tls.insecureEdgeTerminationPolicy`
 *   one of Allow, None, Redirect (or empty); `wildcardPolicy` None or Subdomain (or empty).
 *   Defaults as the CRD declares them: `to.kind` Service, `to.weight` 100, `wildcardPolicy` None.
 *   The CRD's cross-field rules (CEL, and "a wildcard Route needs a host") are not checked.
 * - Notebook (kubeflow.org/v1): `spec.template.spec.containers` required when `template.spec` is given.
 */
import { container, int, intOrString, kindSchema, list, obj, oneOfStrings, str } from './common.js';
import type { JsonSchema } from './common.js';

const DNS_NAME = '^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9])(\\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\\-]{0,61}[a-zA-Z0-9]))*$';
const backend = obj(
  { kind: { ...oneOfStrings('Service', ''), default: 'Service' }, name: { type: 'string', minLength: 1 }, weight: { type: 'integer', minimum: 0, default: 100 } },
  ['kind', 'name'],
);

/** Route (route.openshift.io/v1): `spec.to` required; see the module comment. */
export const route: JsonSchema = kindSchema(
  obj(
    {
      host: { type: 'string', maxLength: 253, pattern: DNS_NAME },
      subdomain: { type: 'string', maxLength: 253, pattern: DNS_NAME },
      path: { type: 'string', pattern: '^/' },
      to: backend,
      alternateBackends: list(backend),
      port: obj({ targetPort: { ...intOrString, not: { enum: [0, ''] } } }, ['targetPort']),
      tls: obj(
        { termination: oneOfStrings('edge', 'reencrypt', 'passthrough'), insecureEdgeTerminationPolicy: oneOfStrings('Allow', 'None', 'Redirect', ''), certificate: str, key: str, caCertificate: str, destinationCACertificate: str },
        ['termination'],
      ),
      wildcardPolicy: { ...oneOfStrings('None', 'Subdomain', ''), default: 'None' },
    },
    ['to'],
  ),
  ['spec'],
);

/** Notebook (kubeflow.org/v1): containers required in `spec.template.spec`. */
export const notebook: JsonSchema = kindSchema(
  obj({
    template: obj({ spec: obj({ containers: list(container), serviceAccountName: str, terminationGracePeriodSeconds: int }, ['containers']) }),
  }),
);
