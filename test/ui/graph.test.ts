/**
 * The graph view's text (src/ui/graph.ts): stages in dependency layers, parallel stages on one
 * row, the waits-on list, state marks and the current stage, within 80 columns — on the wizard's
 * real step graph and on small hand-made ones.
 */
import { describe, expect, it } from 'vitest';
import { graphLines, stageGraph, stageMark } from '../../src/ui/graph.js';
import type { GraphNode } from '../../src/ui/graph.js';
import { allSteps } from '../../steps/index.js';

const NODES: GraphNode[] = [
  { id: 'preflight', stage: 'preflight', needs: [] },
  { id: 'project', stage: 'project', needs: ['preflight'] },
  { id: 'storage', stage: 'storage', needs: ['project'] },
  { id: 'sso.operator', stage: 'sso', needs: ['preflight'] },
  { id: 'sso.client', stage: 'sso', needs: ['sso.operator', 'project'] },
  { id: 'serving.a', stage: 'serving', needs: ['storage', 'project'] },
];

describe('graph view', () => {
  it('puts independent stages on one row and lists direct waits only (transitive ones left out)', () => {
    const g = stageGraph(NODES);
    expect(g.map((s) => [s.id, s.layer])).toEqual([
      ['preflight', 0],
      ['project', 1],
      ['storage', 2],
      ['sso', 2],
      ['serving', 3],
    ]);
    // serving needs storage and project; project is already behind storage.
    expect(g.find((s) => s.id === 'serving')?.needs).toEqual(['storage']);
    const lines = graphLines(NODES, { states: { preflight: 'done', project: 'done', storage: 'applying', 'sso.operator': 'done' }, current: 'storage' });
    expect(lines).toContain(' 3 ›▶ Object storage   ◐ SSO 1/2');
    expect(lines).toContain('  Serving ← Object storage');
    expect(lines).toContain('  SSO ← Project');
    expect(lines.find((l) => l.startsWith(' 1 '))).toBe(' 1  ✔ Preflight');
  });

  it('marks failed, drifted, asking and skipped stages', () => {
    expect(stageMark(['done', 'failed'])).toBe('failed');
    expect(stageMark(['done', 'drifted'])).toBe('drifted');
    expect(stageMark(['awaiting-confirmation', 'applying'])).toBe('asking');
    expect(stageMark(['skipped'])).toBe('skipped');
    expect(stageMark(['done', 'pending'])).toBe('partial');
    const lines = graphLines(NODES, { states: { 'serving.a': 'failed', storage: 'drifted' } });
    expect(lines.some((l) => l.includes('✖ Serving'))).toBe(true);
    expect(lines.some((l) => l.includes('! Object storage'))).toBe(true);
  });

  it("wraps rows that do not fit, and every line of the real wizard's graph fits 80 (and 40) columns", () => {
    const wide: GraphNode[] = ['preflight', 'project', 'storage', 'data-connection', 'import', 'serving', 'sso', '3scale'].map((stage) => ({
      id: stage,
      stage,
      needs: [],
    }));
    const narrow = graphLines(wide, { width: 40 });
    const row = narrow.filter((l) => /^( 1 | {3}[ ›]\S)/.test(l));
    expect(row.length).toBeGreaterThan(1);
    for (const l of narrow) expect([...l].length).toBeLessThanOrEqual(40);
    for (const width of [80, 40]) {
      const real = graphLines(allSteps(), { width });
      for (const l of real) expect([...l].length, l).toBeLessThanOrEqual(width);
      expect(real.some((l) => l.includes('Preflight'))).toBe(true);
    }
    // The real graph: preflight first and alone on its row; serving after the import.
    const g = stageGraph(allSteps());
    expect(g[0]).toMatchObject({ id: 'preflight', layer: 0 });
    const layer = (id: string): number => g.find((s) => s.id === id)?.layer ?? -1;
    expect(layer('serving')).toBeGreaterThan(layer('import'));
    expect(layer('sso')).toBeLessThan(layer('serving'));
  });

  it('a cycle between stages (steps acyclic) does not loop', () => {
    const nodes: GraphNode[] = [
      { id: 'a1', stage: 'a', needs: [] },
      { id: 'b1', stage: 'b', needs: ['a1'] },
      { id: 'a2', stage: 'a', needs: ['b1'] },
    ];
    expect(graphLines(nodes).length).toBeGreaterThan(2);
  });
});
