/**
 * A person's OpenAPI definition file: 3.1 YAML with an `http` bearer scheme, 3.0 JSON, Swagger 2.0,
 * the 3scale names given to operations, and every way a file can be wrong (each a UserError
 * `openapi.invalid` naming the file and what is wrong, with a fix).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { activeDocsBody, methodsAndRules, parseSpecFile, parseSpecString } from '../../../steps/threescale/openapi.js';

const dir = mkdtempSync(path.join(tmpdir(), 'openapi-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

function failure(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

const YAML31 = `openapi: 3.1.0
info:
  title: Granite chat
  version: 2
components:
  securitySchemes:
    token: { type: http, scheme: bearer }
security: [{ token: [] }]
paths:
  /v1/chat/completions:
    post:
      operationId: createChatCompletion
      summary: Chat
      responses: { "200": { description: ok } }
  /v1/models/{model}:
    parameters: [{ name: model, in: path, required: true, schema: { type: string } }]
    get:
      responses: { "200": { description: ok } }
    delete:
      operationId: hits
      responses: { "200": { description: ok } }
`;

describe('parseSpecFile: valid files', () => {
  it('reads OpenAPI 3.1 YAML with an http bearer scheme', () => {
    const spec = parseSpecFile(file('granite.yaml', YAML31));
    expect(spec).toMatchObject({ title: 'Granite chat', version: '2', openapi: '3.1.0' });
    expect(spec.operations).toEqual([
      { method: 'POST', path: '/v1/chat/completions', operationId: 'createChatCompletion', friendlyName: 'Chat', systemName: 'createchatcompletion', pattern: '/v1/chat/completions$' },
      { method: 'GET', path: '/v1/models/{model}', friendlyName: 'GET /v1/models/{model}', systemName: 'get_v1_models_model', pattern: '/v1/models/{model}$' },
      // `hits` is the product's own metric: an operation may not take that name.
      { method: 'DELETE', path: '/v1/models/{model}', operationId: 'hits', friendlyName: 'hits', systemName: 'hits_method', pattern: '/v1/models/{model}$' },
    ]);
    const body = JSON.parse(activeDocsBody(spec, 'https://granite-maas-apicast-production.apps.example.com')) as Record<string, unknown>;
    expect(body['security']).toEqual([{ token: [] }]);
    expect(body['servers']).toEqual([{ url: 'https://granite-maas-apicast-production.apps.example.com' }]);
    // YAML gave `version: 2` as a number; OpenAPI wants a string.
    expect(body['info']).toEqual({ title: 'Granite chat', version: '2' });
  });

  it('reads JSON, keeps names unique when operationIds collide, one rule per path and method', () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 'Dup' },
      paths: {
        '/a': { get: { operationId: 'read-item', summary: 'Read' }, post: { operationId: 'read_item', summary: 'Read' } },
        '/b/{id}': { get: { summary: 'Read' } },
        '/b/{name}': { get: { summary: 'Other' } },
      },
    };
    const spec = parseSpecFile(file('dup.json', JSON.stringify(doc)));
    expect(spec.version).toBe('');
    expect(spec.operations.map((o) => o.systemName)).toEqual(['read_item', 'read_item_2', 'get_b_id', 'get_b_name']);
    expect(spec.operations.map((o) => o.friendlyName)).toEqual(['Read', 'Read (2)', 'Read (3)', 'Other']);
    const { methods, rules } = methodsAndRules(spec);
    expect(methods).toHaveLength(4);
    // /b/{id} and /b/{name} are the same rule for APIcast ({x} matches one segment): only the first is kept.
    expect(rules.map((r) => `${r.httpMethod} ${r.pattern} ${r.methodSystemName}`)).toEqual(['GET /a$ read_item', 'POST /a$ read_item_2', 'GET /b/{id}$ get_b_id']);
  });

  it('reads Swagger 2.0 and points host/basePath at the gateway', () => {
    const spec = parseSpecFile(file('old.yaml', 'swagger: "2.0"\ninfo: { title: Old, version: "1" }\nbasePath: /api\npaths:\n  /items:\n    get: { responses: { "200": { description: ok } } }\n'));
    expect(spec.openapi).toBe('2.0');
    const body = JSON.parse(activeDocsBody(spec, 'https://old-maas-apicast-production.apps.example.com')) as Record<string, unknown>;
    expect(body).toMatchObject({ host: 'old-maas-apicast-production.apps.example.com', basePath: '/', schemes: ['https'] });
    expect(methodsAndRules(spec).rules).toEqual([{ httpMethod: 'GET', pattern: '/items$', methodSystemName: 'get_items', delta: 1 }]);
  });

  it('parses text given directly, naming its source', () => {
    expect(parseSpecString(YAML31, 'answers: spec').operations).toHaveLength(3);
    expect(failure(() => parseSpecString('a: 1', 'answers: spec')).message).toMatch(/^answers: spec: /);
  });
});

describe('parseSpecFile: errors name the file and what is wrong', () => {
  const cases: [string, string, string, RegExp][] = [
    ['not OpenAPI', 'notes.yaml', 'title: my model\nowner: me\n', /not an OpenAPI document: no `openapi` key/],
    ['a list at the top', 'list.yaml', '- a\n- b\n', /not an OpenAPI document: the top level is a list/],
    ['JSON syntax error', 'broken.json', '{\n  "openapi": "3.0.3",\n  "paths": {\n}', /JSON syntax error: .*(position|line)/],
    ['YAML syntax error with the line', 'broken.yaml', 'openapi: 3.0.3\ninfo:\n  title: [x\npaths: {}\n', /YAML syntax error at line \d+, column \d+/],
    ['an empty file', 'empty.yaml', '  \n', /the file is empty/],
    ['no paths', 'nopaths.yaml', 'openapi: 3.1.0\ninfo: { title: t, version: "1" }\n', /no `paths`/],
    ['paths without operations', 'noops.yaml', 'openapi: 3.0.0\ninfo: { title: t, version: "1" }\npaths:\n  /x: { summary: nothing }\n', /`paths` holds no operations/],
    ['an unsupported version', 'v4.yaml', 'openapi: 4.0.0\npaths:\n  /x: { get: {} }\n', /openapi: must be 3\.0\.x or 3\.1\.x/],
    ['paths that are not a map', 'pathsnum.yaml', 'openapi: 3.0.0\npaths: 3\n', /paths: must be a map of paths/],
    ['a path not starting with /', 'rel.yaml', 'openapi: 3.0.0\npaths:\n  v1/x: { get: {} }\n', /paths\.v1\/x: a path must start with \//],
    ['a field of the wrong type', 'opid.yaml', 'openapi: 3.0.0\npaths:\n  /x: { get: { operationId: [1] } }\n', /paths\.\/x\.get\.operationId: /],
  ];
  it.each(cases)('%s', (_what, name, text, expected) => {
    const f = file(name, text);
    const err = failure(() => parseSpecFile(f));
    expect(err.code).toBe('openapi.invalid');
    expect(err.message.startsWith(`${f}: `)).toBe(true);
    expect(err.message).toMatch(expected);
    expect(err.fix).toBeTruthy();
  });

  it('a missing file', () => {
    const f = path.join(dir, 'nowhere.yaml');
    const err = failure(() => parseSpecFile(f));
    expect(err.code).toBe('openapi.invalid');
    expect(err.message).toBe(`${f}: cannot read the OpenAPI definition: no such file`);
    expect(err.fix).toMatch(/path/);
  });

  it('a directory', () => {
    expect(failure(() => parseSpecFile(dir)).message).toMatch(/is a directory/);
  });
});
