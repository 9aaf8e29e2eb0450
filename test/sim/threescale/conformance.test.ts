/**
 * Route conformance: every route of the simulated admin host is checked against the real 3scale
 * Account Management and CMS API specs (read at run time from ../shared/reference/openapi):
 * the path template and method exist (`.xml`/`.json` are the same operation), the required
 * parameters are the spec's, and leaving them out answers 422 `can't be blank`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitFormat } from '../../../src/sim/threescale/router.js';
import { start } from './helpers.js';
import type { Harness } from './helpers.js';

const ref = path.resolve(import.meta.dirname, '../../..', '../shared/reference/openapi');
const has = existsSync(path.join(ref, '3scale_account_management_api.json')) && existsSync(path.join(ref, '3scale_cms_api.json'));
if (!has) console.warn('skipped: ../shared/reference/openapi absent');

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref?: string; required?: string[] } }> };
}
type Spec = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, { required?: string[] }> } };

/** `METHOD /bare/path` → the spec's required body/query parameters, without access_token. */
function specOperations(file: string): Map<string, string[]> {
  const spec = JSON.parse(readFileSync(path.join(ref, file), 'utf8')) as Spec;
  const out = new Map<string, string[]>();
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (typeof op !== 'object' || !op) continue;
      const required = new Set<string>();
      for (const param of op.parameters ?? []) if (param.required && param.in === 'query') required.add(param.name);
      for (const content of Object.values(op.requestBody?.content ?? {})) {
        const schema = content.schema.$ref ? spec.components?.schemas?.[content.schema.$ref.split('/').pop() as string] : content.schema;
        for (const name of schema?.required ?? []) required.add(name);
      }
      required.delete('access_token');
      out.set(`${method.toUpperCase()} ${splitFormat(p).bare}`, [...required].sort());
    }
  }
  return out;
}

describe('route conformance with the 3scale specs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => h.close());

  it.skipIf(!has)('serves only operations the specs have, requiring exactly their required parameters', () => {
    const am = specOperations('3scale_account_management_api.json');
    const cms = specOperations('3scale_cms_api.json');
    const outside: string[] = [];
    for (const route of h.sim.routes) {
      const key = `${route.method} ${splitFormat(route.path).bare}`;
      if (route.spec === 'analytics') {
        outside.push(key);
        continue;
      }
      const ops = route.spec === 'cms' ? cms : am;
      expect(ops.has(key), `${key} is not in the ${route.spec} spec`).toBe(true);
      expect([...route.required].sort(), `required parameters of ${key}`).toEqual(ops.get(key));
    }
    // The analytics API has no spec in ../shared/reference; only this one route may live outside.
    expect(outside).toEqual(['GET /stats/applications/{application_id}/usage']);
    expect(h.sim.routes.length).toBeGreaterThan(100);
  });

  it.skipIf(!has)('answers 422 "can\'t be blank" for every missing required parameter', async () => {
    for (const route of h.sim.routes.filter((r) => r.required.length > 0)) {
      const url = route.path.replace(/\{[a-z_]+\}/g, '1');
      const answer = await h.api(route.method, url);
      expect(answer.status, `${route.method} ${url}`).toBe(422);
      const { errors } = (url.endsWith('.xml') ? null : answer.json()) ?? { errors: null };
      if (errors) for (const field of route.required) expect(errors[field], `${route.method} ${url} ${field}`).toEqual(["can't be blank"]);
      else for (const field of route.required) expect(answer.text).toMatch(new RegExp(`<error>${field.charAt(0).toUpperCase()}${field.slice(1).replace(/_/g, ' ')} can(&apos;|')t be blank</error>`));
    }
  });
});
