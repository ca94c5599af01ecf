// The execution graph is drawn from whatever definition is synthesized: every state of gitwave's own
// state machine (Parallel branches included) becomes one laid-out node, every transition an edge
// between known states; and the state running now is the last one entered and not exited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { cachedStateMachineDefinition } from '../../local/definition-cache.ts';
import { layoutMachine, statesAndTransitions } from '../../web/src/asl-graph.ts';
import { consoleUrlOf, currentState } from '../../shared/api/executions.ts';
import type { AslMachine } from '../../web/src/types.ts';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);

function allStateNames(machine: AslMachine): string[] {
  return Object.entries(machine.States).flatMap(([name, s]) => [name, ...(s.Branches ?? []).flatMap(allStateNames)]);
}

test('every state of the synthesized definition is laid out once, edges join known states', async () => {
  const definition = await cachedStateMachineDefinition(ROOT) as unknown as AslMachine;
  const graph = layoutMachine(definition);
  const names = allStateNames(definition);
  assert.ok(names.length > 10);
  assert.deepEqual(graph.nodes.map((n) => n.id).sort(), [...names].sort());
  const ids = new Set(names);
  for (const e of graph.edges) assert.ok(ids.has(e.from) && ids.has(e.to) && e.points.length >= 2, `${e.from} → ${e.to}`);
  for (const n of graph.nodes) assert.ok(Number.isFinite(n.x) && Number.isFinite(n.y) && n.x <= graph.width && n.y <= graph.height);
});

test('transitions: next, choices, default (drawn once per pair), catch and branches', () => {
  const { edges } = statesAndTransitions({
    StartAt: 'A', States: {
      A: { Type: 'Choice', Choices: [{ Next: 'B' }, { Next: 'C' }], Default: 'B' },
      B: { Type: 'Parallel', Branches: [{ StartAt: 'B1', States: { B1: { Type: 'Pass', End: true } } }], Catch: [{ Next: 'C' }], Next: 'C' },
      C: { Type: 'Succeed' },
    },
  });
  assert.deepEqual(edges.map((e) => `${e.from}>${e.to}:${e.kind}`), ['A>B:default', 'A>C:choice', 'B>C:next', 'B>B1:branch']);
});

test('the running state is the last entered and not exited; the console link names the region', () => {
  const e = (type: string, state: string, id: number) => ({ id, type, timestamp: '', state });
  assert.equal(currentState([e('TaskStateEntered', 'Lock', 1), e('TaskStateExited', 'Lock', 2), e('ParallelStateEntered', 'Run', 3), e('WaitStateEntered', 'Wait', 4)]), 'Wait');
  assert.equal(currentState([e('TaskStateEntered', 'Lock', 1), e('TaskStateExited', 'Lock', 2)]), null);
  assert.match(consoleUrlOf('arn:aws:states:eu-west-1:1:execution:sync:x'), /^https:\/\/eu-west-1\.console\.aws\.amazon\.com\/states\/home\?region=eu-west-1#\/v2\/executions\/details\/arn:aws:states:eu-west-1:1:execution:sync:x$/);
});
