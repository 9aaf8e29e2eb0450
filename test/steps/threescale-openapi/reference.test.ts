/**
 * Against the real contracts in ../shared/reference (read at run time; skipped with a printed
 * reason when absent): the models-aas OpenAPI definitions of real model servers import cleanly, and
 * the remove-bearer CustomPolicyDefinition and an APIManager carrying the customPolicies entries
 * validate against the 3scale operator's CRD schemas.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ruleMatches } from '../../../src/sim/threescale/apicast/mapping.js';
import { apiManagerCustomPolicies, customPolicyDefinition, REMOVE_BEARER } from '../../../steps/threescale/custom-policy.js';
import { activeDocsBody, methodsAndRules, parseSpecFile } from '../../../steps/threescale/openapi.js';
import { crdSchema, hasReference, REFERENCE_DIR } from '../../support/reference.js';

const has = hasReference();
const modelFiles = has ? readdirSync(path.join(REFERENCE_DIR, 'models')).filter((f) => f.endsWith('.json')).sort() : [];

describe('real model definitions (../shared/reference/models)', () => {
  it.skipIf(!has)('there are model definitions to check', () => {
    expect(modelFiles.length).toBeGreaterThan(0);
  });

  it.skipIf(!has).each(modelFiles)('%s imports: operations, anchored rules, unique system names', (name) => {
    const spec = parseSpecFile(path.join(REFERENCE_DIR, 'models', name));
    expect(spec.operations.length).toBeGreaterThan(0);
    const { methods, rules } = methodsAndRules(spec);
    expect(methods).toHaveLength(spec.operations.length);
    expect(new Set(methods.map((m) => m.systemName)).size).toBe(methods.length);
    expect(new Set(methods.map((m) => m.friendlyName)).size).toBe(methods.length);
    for (const m of methods) expect(m.systemName).toMatch(/^[a-z0-9_]+$/);
    for (const r of rules) {
      expect(r.pattern.endsWith('$')).toBe(true);
      expect(methods.map((m) => m.systemName)).toContain(r.methodSystemName);
      // Each rule routes its own path, and no longer path below it.
      const plain = r.pattern.slice(0, -1).replace(/\{[^}]+\}/g, 'x');
      expect(ruleMatches({ http_method: r.httpMethod, pattern: r.pattern }, r.httpMethod, plain, new URLSearchParams())).toBe(true);
      expect(ruleMatches({ http_method: r.httpMethod, pattern: r.pattern }, r.httpMethod, `${plain}/more`, new URLSearchParams())).toBe(false);
    }
    const body = JSON.parse(activeDocsBody(spec, 'https://m-maas-apicast-production.apps.example.com')) as Record<string, unknown>;
    expect(body['servers']).toEqual([{ url: 'https://m-maas-apicast-production.apps.example.com' }]);
    expect(body['components']).toEqual(spec.document['components']);
    // These definitions have no info.version, which OpenAPI requires: the body gets one.
    expect(body['info']).toMatchObject({ title: spec.title, version: spec.version || '1.0' });
  });

  it.skipIf(!has)('the vLLM definitions route the OpenAI-compatible endpoints', () => {
    const file = modelFiles.find((f) => f.startsWith('mistral'));
    expect(file).toBeDefined();
    const { rules } = methodsAndRules(parseSpecFile(path.join(REFERENCE_DIR, 'models', file ?? '')));
    expect(rules.map((r) => `${r.httpMethod} ${r.pattern}`)).toEqual(expect.arrayContaining(['GET /v1/models$', 'POST /v1/chat/completions$', 'POST /v1/completions$']));
  });
});

describe('remove-bearer objects against the 3scale operator CRDs', () => {
  it.skipIf(!has)('the CustomPolicyDefinition validates, and one without a summary does not', () => {
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false })
      .compile(crdSchema('capabilities.3scale.net_custompolicydefinitions.yaml', 'v1beta1') as object);
    const cpd = customPolicyDefinition('3scale');
    expect(validate(cpd), JSON.stringify(validate.errors)).toBe(true);
    const spec = cpd['spec'] as { name: string; version: string; schema: Record<string, unknown> };
    expect(spec.name).toBe(REMOVE_BEARER.name);
    expect(spec.version).toBe(REMOVE_BEARER.version);
    const { summary: _s, ...noSummary } = spec.schema;
    expect(validate({ ...cpd, spec: { ...spec, schema: noSummary } })).toBe(false);
  });

  it.skipIf(!has)('an APIManager with the customPolicies entries validates, and one with a bad entry does not', () => {
    // The whole APIManager schema is slow to compile: keep the fields written here, with
    // spec.apicast.{stagingSpec,productionSpec} cut down to their customPolicies schema.
    type Node = { properties: Record<string, Node>; [k: string]: unknown };
    const full = crdSchema('apps.3scale.net_apimanagers.yaml', 'v1alpha1') as Node;
    const spec = full.properties['spec'] as Node;
    const apicast = spec.properties['apicast'] as Node;
    const only = (node: Node, keys: string[]): Node => {
      expect(Object.keys(node.properties)).toEqual(expect.arrayContaining(keys));
      return { ...node, properties: Object.fromEntries(keys.map((k) => [k, node.properties[k] as Node])) };
    };
    const cutApicast = only(apicast, ['stagingSpec', 'productionSpec']);
    for (const side of ['stagingSpec', 'productionSpec']) cutApicast.properties[side] = only(cutApicast.properties[side] as Node, ['customPolicies']);
    const cutSpec = only(spec, ['wildcardDomain', 'tenantName', 'resourceRequirementsEnabled', 'apicast']);
    cutSpec.properties['apicast'] = cutApicast;
    const schema = { ...full, properties: { ...full.properties, spec: cutSpec } };
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false }).compile(schema);
    const apiManager = (customPolicies: unknown[]): object => ({
      apiVersion: 'apps.3scale.net/v1alpha1',
      kind: 'APIManager',
      metadata: { name: 'apimanager', namespace: '3scale' },
      spec: { wildcardDomain: 'apps.example.com', tenantName: 'maas', resourceRequirementsEnabled: false, apicast: { stagingSpec: { customPolicies }, productionSpec: { customPolicies } } },
    });
    expect(validate(apiManager(apiManagerCustomPolicies())), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(apiManager([{ name: REMOVE_BEARER.name, secretRef: { name: REMOVE_BEARER.secret } }]))).toBe(false);
  });
});
