/**
 * The state machine as a graph, laid out with dagre: one node per state of the definition (states
 * inside Parallel branches and Map processors included, under their parent), one edge per transition
 * (Next, Default, each Choice, each Catch). Nothing about gitwave's own machine is assumed: the graph
 * is whatever definition the execution ran.
 */
import { Graph, layout } from '@dagrejs/dagre';
import type { AslMachine } from './types.ts';

export interface GraphNode { id: string; type: string; parent: string | null; x: number; y: number; width: number; height: number }
export interface GraphEdge { from: string; to: string; kind: 'next' | 'choice' | 'default' | 'catch' | 'branch'; points: Array<{ x: number; y: number }> }
export interface LaidOut { nodes: GraphNode[]; edges: GraphEdge[]; width: number; height: number }

const CHAR_WIDTH = 7.2;

/** Nodes and edges of a definition, nested machines flattened. */
export function statesAndTransitions(machine: AslMachine, parent: string | null = null): { nodes: Array<{ id: string; type: string; parent: string | null }>; edges: Array<Omit<GraphEdge, 'points'>> } {
  const nodes: Array<{ id: string; type: string; parent: string | null }> = [];
  const edges: Array<Omit<GraphEdge, 'points'>> = [];
  if (parent) edges.push({ from: parent, to: machine.StartAt, kind: 'branch' });
  for (const [id, state] of Object.entries(machine.States ?? {})) {
    nodes.push({ id, type: state.Type, parent });
    if (state.Next) edges.push({ from: id, to: state.Next, kind: 'next' });
    if (state.Default) edges.push({ from: id, to: state.Default, kind: 'default' });
    for (const choice of state.Choices ?? []) edges.push({ from: id, to: choice.Next, kind: 'choice' });
    for (const c of state.Catch ?? []) edges.push({ from: id, to: c.Next, kind: 'catch' });
    for (const inner of [...(state.Branches ?? []), ...(state.ItemProcessor ? [state.ItemProcessor] : []), ...(state.Iterator ? [state.Iterator] : [])]) {
      const sub = statesAndTransitions(inner, id);
      nodes.push(...sub.nodes);
      edges.push(...sub.edges);
    }
  }
  // Two transitions between the same states (a Choice and its Default) are drawn once.
  const seen = new Set<string>();
  return { nodes, edges: edges.filter((e) => !seen.has(`${e.from}>${e.to}`) && seen.add(`${e.from}>${e.to}`) !== undefined) };
}

/** Positions for every node and edge (top to bottom). */
export function layoutMachine(machine: AslMachine): LaidOut {
  const { nodes, edges } = statesAndTransitions(machine);
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 36, marginx: 12, marginy: 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: Math.max(90, n.id.length * CHAR_WIDTH + 24), height: 34 });
  const known = new Set(nodes.map((n) => n.id));
  const drawn = edges.filter((e) => known.has(e.from) && known.has(e.to));
  for (const e of drawn) g.setEdge(e.from, e.to);
  layout(g);
  const graph = g.graph() as { width?: number; height?: number };
  return {
    nodes: nodes.map((n) => {
      const p = g.node(n.id) as { x: number; y: number; width: number; height: number };
      return { ...n, x: p.x, y: p.y, width: p.width, height: p.height };
    }),
    edges: drawn.map((e) => ({ ...e, points: (g.edge(e.from, e.to) as { points?: Array<{ x: number; y: number }> }).points ?? [] })),
    width: graph.width ?? 0,
    height: graph.height ?? 0,
  };
}
