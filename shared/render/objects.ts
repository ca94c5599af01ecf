/**
 * From decoded documents to rendered objects: every document must be a Kubernetes object (a mapping
 * with apiVersion, kind and metadata.name or metadata.generateName), `List` documents are flattened
 * into their items as kubectl does, and the same object (group, kind, namespace, name) twice is an
 * error of the render (SECURITY.md §7 row 18), named at both places, before anything reaches a cluster.
 */
import { isRecord, groupOf, keyString, type KubeObject } from '../model/object.ts';
import { describeProblem, RenderError, type RenderProblem } from './errors.ts';
import type { ObjectSource, RenderedObject } from './types.ts';

/** A decoded document and where it came from. */
export interface SourcedValue {
  value: unknown;
  source: ObjectSource;
}

/**
 * The objects of the documents, in order. Throws RenderError listing every problem found.
 * @example collectObjects([{ value: { apiVersion: 'v1', kind: 'List', items: [cm] }, source }]) // [{ object: cm, source }]
 */
export function collectObjects(values: readonly SourcedValue[]): RenderedObject[] {
  const problems: RenderProblem[] = [];
  const objects: RenderedObject[] = [];
  for (const { value, source } of values) {
    for (const item of flattenList(value)) {
      const problem = objectProblem(item);
      if (problem) problems.push({ file: source.file, line: source.line, message: `document ${source.document + 1}: ${problem}` });
      else objects.push({ object: item as KubeObject, source });
    }
  }
  problems.push(...duplicateProblems(objects));
  if (problems.length > 0) throw new RenderError(problems);
  return objects;
}

function flattenList(value: unknown): unknown[] {
  if (isRecord(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    return value.items;
  }
  return [value];
}

/** What keeps a value from being a Kubernetes object, or undefined when it is one. */
export function objectProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'is not a Kubernetes object (expected a mapping)';
  if (typeof value.apiVersion !== 'string' || value.apiVersion === '') return `${describe(value)} has no apiVersion`;
  if (typeof value.kind !== 'string' || value.kind === '') return `${describe(value)} has no kind`;
  if (!isRecord(value.metadata)) return `${describe(value)} has no metadata`;
  const { name, generateName, namespace } = value.metadata;
  const named = (typeof name === 'string' && name !== '') || (typeof generateName === 'string' && generateName !== '');
  if (!named) return `${describe(value)} has no metadata.name (or metadata.generateName)`;
  if (name !== undefined && typeof name !== 'string') return `${describe(value)}: metadata.name must be a string`;
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') return `${describe(value)}: metadata.namespace must be a string`;
  return undefined;
}

function describe(value: Record<string, unknown>): string {
  const kind = typeof value.kind === 'string' && value.kind !== '' ? value.kind : 'object';
  const meta = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}*` : '';
  return name === '' ? kind : `${kind} ${name}`;
}

function duplicateProblems(objects: readonly RenderedObject[]): RenderProblem[] {
  const seen = new Map<string, RenderedObject>();
  const problems: RenderProblem[] = [];
  for (const rendered of objects) {
    const { object, source } = rendered;
    if (!object.metadata.name) continue; // generateName objects get a fresh name each time
    const key = keyString({ group: groupOf(object.apiVersion), kind: object.kind, namespace: object.metadata.namespace ?? '', name: object.metadata.name });
    const first = seen.get(key);
    if (!first) {
      seen.set(key, rendered);
      continue;
    }
    const where = describeProblem({ file: first.source.file, line: first.source.line, message: '' }).replace(/: $/, '');
    const ns = object.metadata.namespace ? `${object.metadata.namespace}/` : '';
    problems.push({ file: source.file, line: source.line, message: `${object.kind} ${ns}${object.metadata.name} is defined twice (first at ${where})` });
  }
  return problems;
}
