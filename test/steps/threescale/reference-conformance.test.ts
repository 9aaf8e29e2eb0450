/**
 * The manifests the 3scale steps plan validate against the real CRD schemas (APIManager from the
 * 3scale operator, OperatorGroup and Subscription from OLM), read at run time from
 * ../shared/reference/crds; skipped with a notice when absent. Both file storage variants.
 */
import { Ajv } from 'ajv';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent, KubeObject } from '../../../src/engine/types.js';
import { run, startThreescaleCluster } from './helpers.js';
import { crdSchema, hasReference } from '../../support/reference.js';
import type { ThreescaleCluster } from './helpers.js';

const has = hasReference();

let cluster: ThreescaleCluster | undefined;
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
});

const CRDS: Record<string, [string, string]> = {
  APIManager: ['apps.3scale.net_apimanagers.yaml', 'v1alpha1'],
  OperatorGroup: ['operators.coreos.com_operatorgroups.yaml', 'v1'],
  Subscription: ['operators.coreos.com_subscriptions.yaml', 'v1alpha1'],
};

function manifests(events: EngineEvent[]): KubeObject[] {
  return events.flatMap((e) => (e.type === 'plan' ? e.changes : [])).flatMap((c) => (c.manifest ? [c.manifest] : []));
}

describe('3scale manifests against the reference CRDs', () => {
  it.skipIf(!has)('APIManager (volume and S3 file storage, external databases), OperatorGroup and Subscription validate', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
    const validators = Object.fromEntries(Object.entries(CRDS).map(([kind, [file, version]]) => [kind, ajv.compile(crdSchema(file, version) as object)]));
    cluster = await startThreescaleCluster();
    const pvcRun = await run(cluster.services, { only: ['threescale.apimanager'] });
    await cluster.stop();
    cluster = await startThreescaleCluster(['no-rwx-class']);
    const s3Run = await run(cluster.services, { only: ['threescale.apimanager'], answers: { 'threescale.apimanager': { s3Bucket: 'b' } }, secrets: { 'threescale.apimanager': { s3AccessKeyId: 'a', s3SecretAccessKey: 's' } } });
    const all = [...manifests(pvcRun.events), ...manifests(s3Run.events)];
    const checked = all.filter((m) => validators[m.kind]);
    expect(checked.filter((m) => m.kind === 'APIManager')).toHaveLength(2);
    for (const m of checked) {
      const validate = validators[m.kind];
      expect(validate?.(m), `${m.kind}: ${JSON.stringify(validate?.errors)}`).toBe(true);
    }
    // The check can fail: an APIManager without wildcardDomain is refused by the schema.
    const apiManager = checked.find((m) => m.kind === 'APIManager') as KubeObject & { spec: Record<string, unknown> };
    const { wildcardDomain: _w, ...withoutDomain } = apiManager.spec;
    expect(validators['APIManager']?.({ ...apiManager, spec: withoutDomain })).toBe(false);
  });
});
