/**
 * The remove-bearer custom policy files and the objects that install it. There is no Lua runtime
 * here, so the Lua files are checked for what APIcast needs to load them: init.lua requires the
 * module that exists, the module registers the manifest's version, has a rewrite phase and returns
 * itself.
 */
import { describe, expect, it } from 'vitest';
import {
  REMOVE_BEARER, REMOVE_BEARER_FILES, WATCHED_BY_LABEL, apiManagerCustomPolicies, customPolicyDefinition, customPolicySecret, removeBearerFiles, removeBearerManifest,
} from '../../../steps/threescale/custom-policy.js';

describe('remove-bearer policy files', () => {
  const files = removeBearerFiles();

  it('apicast-policy.json is a policy manifest: name, summary, version 0.1, an object configuration schema', () => {
    const manifest = JSON.parse(files['apicast-policy.json']) as Record<string, unknown>;
    expect(manifest['$schema']).toBe('http://apicast.io/policy-v1/schema#manifest#');
    expect(typeof manifest['name']).toBe('string');
    expect(typeof manifest['summary']).toBe('string');
    expect(manifest['version']).toBe(REMOVE_BEARER.version);
    expect(manifest['configuration']).toMatchObject({ type: 'object' });
    expect(removeBearerManifest()).toEqual(manifest);
  });

  it('init.lua returns the module that remove-bearer.lua is', () => {
    const required = /require\(\s*['"]([^'"]+)['"]\s*\)/.exec(files['init.lua'])?.[1];
    expect(required).toBeDefined();
    expect(`${required}.lua`).toBe('remove-bearer.lua');
    expect(REMOVE_BEARER_FILES).toContain(`${required}.lua`);
  });

  it('remove-bearer.lua is an APIcast policy of the manifest version that rewrites Authorization', () => {
    const lua = files['remove-bearer.lua'];
    const manifest = removeBearerManifest();
    expect(lua).toMatch(/require\('apicast\.policy'\)/);
    expect(lua).toContain(`policy.new('${manifest.name}', '${manifest.version}')`);
    expect(lua).toMatch(/function _M:rewrite\(\)/);
    expect(lua).toMatch(/ngx\.req\.set_header\('Authorization', key\)/);
    expect(lua.trimEnd().endsWith('return _M')).toBe(true);
  });
});

describe('objects installing the policy', () => {
  it('Secret cp-bearer holds the three files and the label the operator watches', () => {
    const secret = customPolicySecret('3scale');
    expect(secret).toMatchObject({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cp-bearer', namespace: '3scale' } });
    expect(secret.metadata.labels).toMatchObject(WATCHED_BY_LABEL);
    expect(secret.metadata.labels?.['apimanager.apps.3scale.net/watched-by']).toBe('apimanager');
    expect(Object.keys(secret['stringData'] as object).sort()).toEqual([...REMOVE_BEARER_FILES].sort());
    expect(secret['stringData']).toEqual(removeBearerFiles());
  });

  it('the CustomPolicyDefinition names the policy as the chain and the APIManager do', () => {
    const cpd = customPolicyDefinition('3scale');
    const refs = apiManagerCustomPolicies();
    expect(cpd).toMatchObject({ apiVersion: 'capabilities.3scale.net/v1beta1', kind: 'CustomPolicyDefinition', metadata: { name: 'remove-bearer', namespace: '3scale' } });
    expect(refs).toEqual([{ name: 'remove-bearer', version: '0.1', secretRef: { name: 'cp-bearer' } }]);
    const spec = cpd['spec'] as { name: string; version: string; schema: { version: string; configuration: unknown } };
    expect([spec.name, spec.version]).toEqual([refs[0]?.name, refs[0]?.version]);
    expect(spec.schema.version).toBe(spec.version);
    expect(spec.schema.configuration).toEqual(removeBearerManifest().configuration);
  });

  it('each call gives a fresh customPolicies list (a caller editing one does not change the next)', () => {
    const first = apiManagerCustomPolicies();
    first.push({ name: 'x', version: '1', secretRef: { name: 'y' } });
    expect(apiManagerCustomPolicies()).toHaveLength(1);
  });
});
