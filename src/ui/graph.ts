/**
 * The graph view as plain text lines: the stages in dependency layers (a row runs after the rows
 * above it; the stages on one row need nothing from one another and run in parallel), each with
 * its state mark and steps done / total, the current stage marked `›`, then which stage waits on
 * which. Used by the screen's graph view (key `g`) and by `status --graph` / `plan --graph`.
 * Pure: no Ink, no I/O. Every line fits `width` columns (rows wrap).
 */
import type { StepId, StepState } from '../engine/types.js';
import { stageTitle } from './stages.js';

/** A step as the graph needs it: id, stage and what it needs (the step contract's `needs`). */
export interface GraphNode {
  id: StepId;
  stage: string;
  needs: readonly StepId[];
}

/** A step's state for the graph: the engine's states plus `drifted` (recorded done, objects gone or changed). */
export type GraphState = StepState | 'drifted';

/** Options of graphLines. */
export interface GraphOptions {
  /** State per step id; absent steps count as `pending`. */
  states?: Readonly<Record<StepId, GraphState>>;
  /** Stage id to mark with `›` (where the run is now). */
  current?: string;
  /** Columns available (default 80; at least 30 are used). */
  width?: number;
}

/** A stage of the graph: its steps, the stages it waits on (direct, transitive ones left out), its layer. */
export interface GraphStage {
  id: string;
  steps: StepId[];
  needs: string[];
  /** 0 for stages that wait on nothing. */
  layer: number;
}

/** Marks (one character) per aggregated state, as the legend line lists them. */
export const GRAPH_MARKS = {
  done: '✔',
  running: '▶',
  asking: '?',
  pending: '◌',
  partial: '◐',
  failed: '✖',
  drifted: '!',
  cancelled: '■',
  skipped: '–',
} as const;

type Mark = keyof typeof GRAPH_MARKS;

const ACTIVE: ReadonlySet<GraphState> = new Set(['ready', 'planning', 'applying', 'verifying']);

/**
 * The stages of `nodes` (in order of first appearance) with their direct needs between stages
 * and their layer (longest path from a stage that waits on nothing). Needs on steps that are
 * not in `nodes` are ignored; a cycle between stages is cut where it closes.
 */
export function stageGraph(nodes: readonly GraphNode[]): GraphStage[] {
  const stageOf = new Map(nodes.map((n) => [n.id, n.stage] as const));
  const order: string[] = [];
  const steps = new Map<string, StepId[]>();
  const direct = new Map<string, Set<string>>();
  for (const n of nodes) {
    if (!steps.has(n.stage)) {
      order.push(n.stage);
      steps.set(n.stage, []);
      direct.set(n.stage, new Set());
    }
    steps.get(n.stage)?.push(n.id);
    for (const need of n.needs) {
      const s = stageOf.get(need);
      if (s !== undefined && s !== n.stage) direct.get(n.stage)?.add(s);
    }
  }
  // Everything a stage waits on, directly or not (a cycle is cut where it closes).
  const reach = new Map<string, Set<string>>();
  const reachOf = (id: string, visiting: Set<string>): Set<string> => {
    const known = reach.get(id);
    if (known) return known;
    const out = new Set<string>();
    visiting.add(id);
    for (const d of direct.get(id) ?? []) {
      if (visiting.has(d)) continue;
      out.add(d);
      for (const x of reachOf(d, visiting)) out.add(x);
    }
    visiting.delete(id);
    reach.set(id, out);
    return out;
  };
  const layers = new Map<string, number>();
  const layerOf = (id: string, visiting: Set<string>): number => {
    const known = layers.get(id);
    if (known !== undefined) return known;
    visiting.add(id);
    let layer = 0;
    for (const d of direct.get(id) ?? []) if (!visiting.has(d)) layer = Math.max(layer, layerOf(d, visiting) + 1);
    visiting.delete(id);
    layers.set(id, layer);
    return layer;
  };
  return order.map((id) => {
    const needs = [...(direct.get(id) ?? [])];
    // Leave out a need that another need already waits on (transitive reduction).
    const reduced = needs.filter((n) => !needs.some((m) => m !== n && reachOf(m, new Set()).has(n)));
    return { id, steps: steps.get(id) ?? [], needs: order.filter((s) => reduced.includes(s)), layer: layerOf(id, new Set()) };
  });
}

/** The aggregated mark of a stage from its steps' states. */
export function stageMark(stepStates: readonly GraphState[]): Mark {
  const has = (s: GraphState): boolean => stepStates.includes(s);
  if (has('failed')) return 'failed';
  if (has('awaiting-confirmation')) return 'asking';
  if (stepStates.some((s) => ACTIVE.has(s))) return 'running';
  if (has('drifted')) return 'drifted';
  const done = stepStates.filter((s) => s === 'done' || s === 'skipped').length;
  if (stepStates.length > 0 && stepStates.every((s) => s === 'skipped')) return 'skipped';
  if (done === stepStates.length) return 'done';
  if (has('cancelled')) return 'cancelled';
  return done > 0 ? 'partial' : 'pending';
}

/**
 * The graph as lines of at most `width` columns: a heading, one row per layer (wrapped when its
 * stages do not fit), a "waits on" list, and the legend.
 */
export function graphLines(nodes: readonly GraphNode[], options: GraphOptions = {}): string[] {
  const width = Math.max(30, options.width ?? 80);
  const states = options.states ?? {};
  const stages = stageGraph(nodes);
  const cell = (st: GraphStage): string => {
    const list = st.steps.map((id) => states[id] ?? 'pending');
    const done = list.filter((s) => s === 'done').length;
    const count = st.steps.length > 1 ? ` ${done}/${st.steps.length}` : '';
    return `${st.id === options.current ? '›' : ' '}${GRAPH_MARKS[stageMark(list)]} ${stageTitle(st.id)}${count}`;
  };
  const out = wrapWords('Stages by dependency layer: a stage starts once those it waits on are done; stages on one row run in parallel.', width);
  const maxLayer = Math.max(-1, ...stages.map((s) => s.layer));
  for (let layer = 0; layer <= maxLayer; layer++) {
    const cells = stages.filter((s) => s.layer === layer).map(cell);
    if (cells.length === 0) continue;
    let line = `${String(layer + 1).padStart(2)} `;
    for (const c of cells) {
      const sep = line.trim().length > String(layer + 1).length ? '  ' : '';
      if (line.length + sep.length + c.length > width && line.trim().length > String(layer + 1).length) {
        out.push(line.trimEnd());
        line = `   ${c}`;
      } else line += `${sep}${c}`;
    }
    out.push(line.trimEnd());
  }
  const waits = stages.filter((s) => s.needs.length > 0);
  if (waits.length > 0) {
    out.push('Waits on:');
    for (const s of waits) out.push(...wrapWords(`${stageTitle(s.id)} ← ${s.needs.map(stageTitle).join(', ')}`, width, '  ', '    '));
  }
  const legend: [Mark, string][] = [
    ['done', 'done'], ['running', 'running'], ['asking', 'asking you'], ['partial', 'partly done'], ['pending', 'pending'],
    ['failed', 'failed'], ['drifted', 'drifted'], ['skipped', 'skipped'], ['cancelled', 'cancelled'],
  ];
  out.push(...wrapWords(legend.map(([m, label]) => `${GRAPH_MARKS[m]}\u00a0${label.replace(/ /g, '\u00a0')}`).join(' · '), width));
  return out;
}

/** Words of `text` (split at spaces, tabs and newlines; no-break spaces hold words together) in lines of at most `width` columns; the first line starts with `first`, the others with `rest`. */
export function wrapWords(text: string, width: number, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/[ \t\n]+/).filter(Boolean)) {
    const prefixLen = lines.length === 0 ? first.length : rest.length;
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = rest + word;
    } else {
      line += (empty ? '' : ' ') + word;
      if (line.length > width && line.length - word.length === prefixLen) line = line.slice(0, width);
    }
    empty = false;
  }
  if (!empty) lines.push(line);
  return lines;
}
