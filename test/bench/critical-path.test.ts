/**
 * The benchmark's critical-path bound (critical-path.ts): the longest weighted path through the
 * real step graph, from the simulation's own durations, so the bench compares runs with the
 * right floor.
 */
import { describe, expect, it } from 'vitest';
import { DURATIONS } from '../../src/sim/durations.js';
import { loadCatalog } from '../../steps/import/catalog.js';
import { allSteps } from '../../steps/index.js';
import { criticalPath, describePath, stepSeconds } from './critical-path.js';
import type { WeightedNode } from './critical-path.js';

const catalog = loadCatalog();
const nodes: WeightedNode[] = allSteps().map((s) => {
  const model = catalog.find((m) => `serving.${m.name}` === s.id);
  return { id: s.id, needs: s.needs, ...(model ? { runtime: model.runtime } : {}) };
});

describe('critical-path bound of a realistic run', () => {
  it('on the default graph is the 3scale branch: operator, databases, APIManager (it outweighs serving)', () => {
    const bound = criticalPath(nodes, 1);
    const threescale = DURATIONS.operatorInstall + DURATIONS.pvcBound + DURATIONS.podStart + DURATIONS.pvcBound + DURATIONS.apiManagerAvailable;
    const serving = DURATIONS.obcBound + DURATIONS.podStart + DURATIONS.vllmPredictorReady;
    expect(threescale).toBeGreaterThan(serving);
    expect(bound.seconds).toBe(threescale);
    expect(bound.path.slice(0, 4)).toEqual(['preflight', 'threescale.operator', 'threescale.databases', 'threescale.apimanager']);
    expect(bound.path.at(-1)).toBe('verify');
    expect(describePath(nodes, bound.path)).toBe(`threescale.operator 75 s → threescale.databases 15 s → threescale.apimanager 490 s`);
  });

  it('divides by the speed factor, and the serial bound is the sum of every weight', () => {
    const at60 = criticalPath(nodes, 60);
    expect(at60.seconds).toBeCloseTo(criticalPath(nodes, 1).seconds / 60, 9);
    const sum = nodes.reduce((s, n) => s + stepSeconds(n), 0);
    expect(at60.serialSeconds).toBeCloseTo(sum / 60, 9);
    expect(at60.serialSeconds).toBeGreaterThan(at60.seconds);
  });

  it('weighs TEI serving less than vLLM, and the import Job only with method job', () => {
    expect(stepSeconds({ id: 'serving.x', needs: [], runtime: 'tei' })).toBe(DURATIONS.podStart + DURATIONS.teiPredictorReady);
    expect(stepSeconds({ id: 'serving.x', needs: [], runtime: 'vllm' })).toBe(DURATIONS.podStart + DURATIONS.vllmPredictorReady);
    expect(stepSeconds({ id: 'import.x', needs: [] })).toBe(0);
    expect(stepSeconds({ id: 'import.x', needs: [] }, 'job')).toBe(DURATIONS.podStart + DURATIONS.jobRun);
  });

  it('picks the heavier of two branches and refuses unknown needs and cycles', () => {
    const g: WeightedNode[] = [
      { id: 'a', needs: [] },
      { id: 'storage', needs: ['a'] },
      { id: 'sso.keycloak', needs: ['a'] },
      { id: 'end', needs: ['storage', 'sso.keycloak'] },
    ];
    expect(criticalPath(g, 1).path).toEqual(['a', 'sso.keycloak', 'end']);
    expect(() => criticalPath([{ id: 'a', needs: ['ghost'] }], 1)).toThrow(/"ghost" is needed but not in the graph/);
    expect(() => criticalPath([{ id: 'a', needs: ['b'] }, { id: 'b', needs: ['a'] }], 1)).toThrow(/cycle/);
  });
});
