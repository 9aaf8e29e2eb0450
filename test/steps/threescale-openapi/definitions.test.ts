/**
 * The project's own OpenAPI definitions (templates/openapi/<api>.yaml) and what 3scale gets from
 * them: methods, anchored mapping rules that route exactly the definition's paths (checked with the
 * simulated APIcast's rule matcher), and the ActiveDocs body pointing at the production gateway.
 */
import { describe, expect, it } from 'vitest';
import { ruleMatches } from '../../../src/sim/threescale/apicast/mapping.js';
import { API_TYPES, activeDocsBody, loadApiDefinition, methodsAndRules } from '../../../steps/threescale/openapi.js';
import type { ApiType, MappingRuleSpec } from '../../../steps/threescale/openapi.js';

const OWN: Record<ApiType, string> = { chat: '/v1/chat/completions', completions: '/v1/completions', embeddings: '/v1/embeddings' };
const PROD = 'https://mistral-7b-instruct-maas-apicast-production.apps.example.com';

function routed(rules: MappingRuleSpec[], method: string, path: string): string[] {
  return rules.filter((r) => ruleMatches({ http_method: r.httpMethod, pattern: r.pattern }, method, path, new URLSearchParams())).map((r) => r.methodSystemName);
}

describe('built-in API definitions', () => {
  it.each(API_TYPES)('%s: GET /v1/models and its own POST operation, valid names, anchored patterns', (api) => {
    const spec = loadApiDefinition(api);
    expect(spec.openapi).toMatch(/^3\.0\./);
    expect(spec.title).not.toBe('');
    expect(spec.operations.map((o) => `${o.method} ${o.path}`).sort()).toEqual(['GET /v1/models', `POST ${OWN[api]}`].sort());
    for (const op of spec.operations) {
      expect(op.systemName).toMatch(/^[a-z0-9_]+$/);
      expect(op.pattern).toBe(`${op.path}$`);
      expect(op.friendlyName.length).toBeGreaterThan(0);
    }
    const schemes = (spec.document['components'] as { securitySchemes: Record<string, { type: string; scheme?: string }> }).securitySchemes;
    expect(Object.values(schemes)).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
  });

  it('embeddings on TEI: no GET /v1/models (TEI has no such route), so no rule sends developers to a 404', () => {
    const spec = loadApiDefinition('embeddings', 'tei');
    expect(spec.operations.map((o) => `${o.method} ${o.path}`)).toEqual(['POST /v1/embeddings']);
    expect(Object.keys(spec.document['paths'] as object)).toEqual(['/v1/embeddings']);
    const { rules } = methodsAndRules(spec);
    expect(routed(rules, 'GET', '/v1/models')).toEqual([]);
    // The bundled vLLM definition is untouched by it.
    expect(loadApiDefinition('embeddings').operations).toHaveLength(2);
  });

  it.each(API_TYPES)('%s: the rules route only the definition\'s paths, each to its own method', (api) => {
    const { methods, rules } = methodsAndRules(loadApiDefinition(api));
    expect(methods).toHaveLength(2);
    expect(rules).toHaveLength(2);
    expect(rules.every((r) => r.delta === 1)).toBe(true);
    const own = rules.find((r) => r.httpMethod === 'POST');
    const list = rules.find((r) => r.httpMethod === 'GET');
    expect(routed(rules, 'POST', OWN[api])).toEqual([own?.methodSystemName]);
    expect(routed(rules, 'GET', '/v1/models')).toEqual([list?.methodSystemName]);
    // Anchored: no prefix matches, no other method, no other path.
    expect(routed(rules, 'GET', '/v1/models/extra')).toEqual([]);
    expect(routed(rules, 'POST', `${OWN[api]}/x`)).toEqual([]);
    expect(routed(rules, 'GET', OWN[api])).toEqual([]);
    expect(routed(rules, 'GET', '/')).toEqual([]);
    expect(methods.map((m) => m.systemName).sort()).toEqual(rules.map((r) => r.methodSystemName).sort());
  });

  it('each API type has a different own operation', () => {
    const names = API_TYPES.map((api) => loadApiDefinition(api).operations.find((o) => o.method === 'POST')?.systemName);
    expect(new Set(names).size).toBe(3);
  });
});

describe('ActiveDocs body', () => {
  it('points every call at the production gateway and keeps the security', () => {
    const spec = loadApiDefinition('chat');
    const body = JSON.parse(activeDocsBody(spec, `${PROD}/`)) as Record<string, unknown>;
    expect(body['servers']).toEqual([{ url: PROD }]);
    expect(body['security']).toEqual(spec.document['security']);
    expect(body['components']).toEqual(spec.document['components']);
    expect(Object.keys(body['paths'] as object).sort()).toEqual(['/v1/chat/completions', '/v1/models']);
    // The parsed document itself is not changed.
    expect(spec.document['servers']).toBeUndefined();
  });

  it('drops path- and operation-level servers that would bypass the gateway', () => {
    const spec = loadApiDefinition('embeddings');
    const doc = structuredClone(spec.document) as { paths: Record<string, Record<string, unknown>> };
    doc.paths['/v1/embeddings'] = { ...doc.paths['/v1/embeddings'], servers: [{ url: 'http://model.internal' }] };
    (doc.paths['/v1/models']?.['get'] as Record<string, unknown>)['servers'] = [{ url: 'http://model.internal' }];
    const body = activeDocsBody({ ...spec, document: doc }, PROD);
    expect(body).not.toContain('model.internal');
    expect(JSON.parse(body)).toMatchObject({ servers: [{ url: PROD }] });
  });

  it('refuses a production URL that is not absolute', () => {
    expect(() => activeDocsBody(loadApiDefinition('chat'), 'maas-apicast-production')).toThrow(/not an absolute URL/);
  });
});
