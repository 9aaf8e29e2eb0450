import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { generateFromExpression, parameterValues, processTemplate } from '../../../steps/serving/template.js';
import type { TemplateObject } from '../../../steps/serving/template.js';

/** A Template shaped like OpenShift AI's vLLM runtime template, with parameters added. */
function template(): TemplateObject {
  return {
    apiVersion: 'template.openshift.io/v1',
    kind: 'Template',
    metadata: { name: 'vllm-cuda-runtime-template', namespace: 'redhat-ods-applications' },
    labels: { 'opendatahub.io/ootb': 'true' },
    parameters: [
      { name: 'IMAGE', value: 'quay.io/modh/vllm:rhoai-2.16-cuda' },
      { name: 'RUNTIME', required: true },
      { name: 'REPLICAS', value: '2' },
      { name: 'TOKEN', generate: 'expression', from: 'tok-[a-f0-9]{8}' },
    ],
    objects: [{
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ServingRuntime',
      metadata: { name: '${RUNTIME}', labels: { 'opendatahub.io/dashboard': 'true' } },
      spec: {
        replicas: '${{REPLICAS}}',
        containers: [{ name: 'kserve-container', image: '${IMAGE}', args: ['--served-model-name={{.Name}}', '--x=${UNKNOWN}', 'prefix-${RUNTIME}-suffix'], env: [{ name: 'T', value: '${TOKEN}' }] }],
      },
    }],
  };
}

describe('Template processing (as oc process)', () => {
  it('substitutes ${NAME} in strings, ${{NAME}} as JSON, leaves unknown references and KServe placeholders alone', () => {
    const t = template();
    const before = JSON.stringify(t);
    const [sr] = processTemplate(t, { RUNTIME: 'vllm-cuda-runtime' });
    expect(sr?.metadata.name).toBe('vllm-cuda-runtime');
    const spec = sr?.['spec'] as { replicas: unknown; containers: { image: string; args: string[]; env: { value: string }[] }[] };
    expect(spec.replicas).toBe(2);
    expect(spec.containers[0]?.image).toBe('quay.io/modh/vllm:rhoai-2.16-cuda');
    expect(spec.containers[0]?.args).toEqual(['--served-model-name={{.Name}}', '--x=${UNKNOWN}', 'prefix-vllm-cuda-runtime-suffix']);
    expect(spec.containers[0]?.env[0]?.value).toMatch(/^tok-[a-f0-9]{8}$/);
    expect(JSON.stringify(t)).toBe(before);
  });

  it('given values win over defaults; the template labels are added to each object', () => {
    const [sr] = processTemplate(template(), { RUNTIME: 'r', IMAGE: 'example.com/vllm:1' });
    expect((sr?.['spec'] as { containers: { image: string }[] }).containers[0]?.image).toBe('example.com/vllm:1');
    expect(sr?.metadata.labels).toEqual({ 'opendatahub.io/dashboard': 'true', 'opendatahub.io/ootb': 'true' });
  });

  it('refuses a missing required parameter, naming it', () => {
    expect(() => processTemplate(template())).toThrow(UserError);
    expect(() => processTemplate(template())).toThrow(/needs parameter RUNTIME/);
  });

  it('refuses a template label that conflicts with an object label', () => {
    const t = template();
    t.labels = { 'opendatahub.io/dashboard': 'false' };
    expect(() => processTemplate(t, { RUNTIME: 'r' })).toThrow(/conflicts/);
  });

  it('a ${{NAME}} value that is not JSON stays a string', () => {
    expect(processTemplate(template(), { RUNTIME: 'r', REPLICAS: 'many' })[0]?.['spec']).toMatchObject({ replicas: 'many' });
  });

  it('generates values from expressions: classes, escapes, literals and repeats', () => {
    expect(generateFromExpression('[A-Z]{4}')).toMatch(/^[A-Z]{4}$/);
    expect(generateFromExpression('x[\\d]{3}y')).toMatch(/^x\d{3}y$/);
    expect(generateFromExpression('[\\w]{12}')).toMatch(/^\w{12}$/);
    expect(generateFromExpression('[\\a]{5}')).toMatch(/^[a-zA-Z]{5}$/);
    expect(() => generateFromExpression('[a-z')).toThrow(/unclosed/);
    expect(() => generateFromExpression('[z-a]')).toThrow(/invalid range/);
    const values = parameterValues({ apiVersion: 'template.openshift.io/v1', kind: 'Template', metadata: {}, parameters: [{ name: 'P', generate: 'expression', from: '[a-z]{16}' }] });
    expect(values['P']).toMatch(/^[a-z]{16}$/);
  });
});
