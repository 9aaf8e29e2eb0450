/**
 * The manifests `threescale.apimanager` plans in Bearer mode `remove-bearer` (APIManager with
 * customPolicies, CustomPolicyDefinition) validate against the real CRD schemas, read at run time
 * from ../shared/reference/crds; skipped with a notice when absent.
 */
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import { crdSchema, hasReference } from '../../support/reference.js';
import { catalogModel, planOf, runAll, startCluster } from './helpers.js';
import type { ThreescaleCluster } from './helpers.js';

const has = hasReference();

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

describe('remove-bearer manifests against the reference CRDs', () => {
  it.skipIf(!has)('APIManager with customPolicies and the CustomPolicyDefinition validate', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    const validators: Record<string, ReturnType<Ajv['compile']>> = {
      APIManager: ajv.compile(crdSchema('apps.3scale.net_apimanagers.yaml', 'v1alpha1') as object),
      CustomPolicyDefinition: ajv.compile(crdSchema('capabilities.3scale.net_custompolicydefinitions.yaml', 'v1beta1') as object),
    };
    cluster = await startCluster([]);
    const { events } = await runAll(cluster.services, [{ model: catalogModel('mistral-7b-instruct'), served: false }], { only: ['threescale.apimanager'], answers: { 'threescale.apimanager': { bearerMode: 'remove-bearer' } } });
    const manifests = planOf(events, 'threescale.apimanager').flatMap((c) => (c.manifest ? [c.manifest] : []));
    expect(manifests.map((m) => m.kind).sort()).toEqual(['APIManager', 'CustomPolicyDefinition', 'Secret']);
    for (const m of manifests) {
      const validate = validators[m.kind];
      if (!validate) continue;
      const ok = validate(m);
      expect(ok, `${m.kind}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });
});
