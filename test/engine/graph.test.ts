import { describe, expect, it } from 'vitest';
import { BugError } from '../../src/engine/errors.js';
import { dependantsOf, requirementsOf, topologicalOrder, validateGraph } from '../../src/engine/graph.js';
import type { GraphNode } from '../../src/engine/graph.js';

const g = (spec: Record<string, string[]>): GraphNode[] => Object.entries(spec).map(([id, needs]) => ({ id, needs }));

const setup = g({
  preflight: [],
  project: ['preflight'],
  storage: ['project'],
  'data-connection': ['storage'],
  import: ['data-connection'],
  serving: ['import'],
  sso: ['preflight'],
  '3scale': ['preflight'],
  portal: ['sso', '3scale', 'serving'],
});

describe('validateGraph', () => {
  it('accepts a valid graph', () => {
    expect(() => validateGraph(setup)).not.toThrow();
  });

  it('lists every problem at once: duplicates, unknown needs, cycles with their path', () => {
    const bad = g({ a: ['b'], b: ['a'], serving: ['import'], self: ['self'] });
    bad.push({ id: 'a', needs: [] });
    let message = '';
    try {
      validateGraph(bad);
    } catch (e) {
      expect(e).toBeInstanceOf(BugError);
      message = (e as Error).message;
    }
    expect(message).toContain('duplicate step id "a"');
    expect(message).toContain('"serving" needs "import", which does not exist');
    expect(message).toContain('cycle: a → b → a');
    expect(message).toContain('cycle: self → self');
  });

  it('reports a three-step cycle in the direction of the needs', () => {
    expect(() => validateGraph(g({ a: ['b'], b: ['c'], c: ['a'] }))).toThrow('cycle: a → b → c → a');
  });
});

describe('topologicalOrder', () => {
  it('puts needs first and keeps declaration order among ties', () => {
    expect(topologicalOrder(setup)).toEqual([
      'preflight',
      'project',
      'storage',
      'data-connection',
      'import',
      'serving',
      'sso',
      '3scale',
      'portal',
    ]);
    expect(topologicalOrder(g({ late: ['early'], other: [], early: [] }))).toEqual(['other', 'early', 'late']);
  });

  it('refuses an invalid graph', () => {
    expect(() => topologicalOrder(g({ a: ['a'] }))).toThrow(BugError);
  });
});

describe('dependantsOf / requirementsOf', () => {
  it('finds transitive dependants in declaration order', () => {
    expect(dependantsOf(setup, 'storage')).toEqual(['data-connection', 'import', 'serving', 'portal']);
    expect(dependantsOf(setup, 'portal')).toEqual([]);
  });

  it('finds what a step needs, transitively, with the step itself', () => {
    expect(requirementsOf(setup, ['serving'])).toEqual(['preflight', 'project', 'storage', 'data-connection', 'import', 'serving']);
    expect(() => requirementsOf(setup, ['nope'])).toThrow('unknown step "nope"');
  });
});
