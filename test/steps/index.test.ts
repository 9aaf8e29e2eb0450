import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../src/engine/graph.js';
import { allSteps, stages } from '../../steps/index.js';

describe('steps/index', () => {
  it('gives a valid graph whose steps all belong to a known stage and explain themselves', () => {
    const steps = allSteps();
    expect(() => validateGraph(steps)).not.toThrow();
    expect(steps.map((s) => s.id)).toEqual([
      'preflight',
      'project',
      'storage',
      'data-connection',
      'import',
      'import.granite-8b-code-instruct',
      'import.mistral-7b-instruct',
      'import.nomic-embed-text',
      'serving.granite-8b-code-instruct',
      'serving.mistral-7b-instruct',
      'serving.nomic-embed-text',
      'sso.operator',
      'sso.keycloak',
      'sso.client',
      'sso.identity-provider',
      'threescale.operator',
      'threescale.databases',
      'threescale.apimanager',
      'threescale.base',
      'threescale.product.granite-8b-code-instruct',
      'threescale.product.mistral-7b-instruct',
      'threescale.product.nomic-embed-text',
      'policies.granite-8b-code-instruct',
      'policies.mistral-7b-instruct',
      'policies.nomic-embed-text',
      'portal.settings',
      'portal.content',
      'verify',
    ]);
    // Serving a model waits for its own import only, not for the other models'.
    const byId = new Map(steps.map((s) => [s.id, s]));
    expect(byId.get('serving.nomic-embed-text')?.needs).toContain('import.nomic-embed-text');
    expect(byId.get('serving.nomic-embed-text')?.needs).not.toContain('import.mistral-7b-instruct');
    expect(byId.get('import.mistral-7b-instruct')?.needs).toEqual(['import']);
    const stageIds = new Set(stages.map((s) => s.id));
    for (const s of steps) {
      expect(stageIds.has(s.stage), s.id).toBe(true);
      expect(s.explain.commands.length, s.id).toBeGreaterThan(0);
      // Commands a person would type by hand: oc for the cluster, aws/curl/huggingface-cli for S3 and APIs.
      expect(s.explain.commands.some((c) => /\b(oc|aws|curl|huggingface-cli) /.test(c)), s.id).toBe(true);
    }
  });

  it('orders the stages 0..10 as STAGES.md does, each once', () => {
    expect(stages.map((s) => s.order)).toEqual([...stages.keys()]);
    expect(new Set(stages.map((s) => s.id)).size).toBe(stages.length);
    expect(stages[0]?.id).toBe('preflight');
    expect(stages.at(-1)?.id).toBe('verify');
  });
});
