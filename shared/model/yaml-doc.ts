/**
 * YAML text → plain documents, keeping enough of the parse to point an error at its line. Used by the
 * Application, AppProject and Cluster parsers; manifests rendered for a sync go through shared/render.
 * Alias expansion is capped (the `yaml` default of 100 aliases) so an alias bomb fails instead of
 * eating memory.
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { ModelError } from './model-error.ts';

/** One decoded YAML document and a way to find the line of a field in it. */
export interface SourceDocument {
  value: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing parent. */
  lineOf(path: ReadonlyArray<string | number>): number | undefined;
}

/** Model documents are small; a larger file is a mistake (or an attack), not an Application. */
export const MAX_MODEL_FILE_BYTES = 1024 * 1024;

/**
 * Every non-empty document of a YAML stream. Throws ModelError with the line on malformed YAML.
 * @example parseYamlDocuments('a: 1\n---\nb: 2\n', 'x.yaml').map((d) => d.value) // [{a: 1}, {b: 2}]
 */
export function parseYamlDocuments(text: string, file: string): SourceDocument[] {
  if (text.length > MAX_MODEL_FILE_BYTES) {
    throw new ModelError(file, 'document', [{ field: '', message: `file is larger than ${MAX_MODEL_FILE_BYTES} bytes` }]);
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(docs)) return []; // an empty stream
  const result: SourceDocument[] = [];
  for (const doc of docs) {
    throwOnYamlErrors(doc, file, lineCounter);
    if (doc.contents === null) continue;
    result.push({ value: toValue(doc, file), lineOf: (path) => lineOfPath(doc, lineCounter, path) });
  }
  return result;
}

function throwOnYamlErrors(doc: Document, file: string, lineCounter: LineCounter): void {
  const error = doc.errors[0];
  if (!error) return;
  const line = lineCounter.linePos(error.pos[0]).line;
  throw new ModelError(file, 'document', [{ field: '', message: `invalid YAML: ${yamlErrorReason(error.message)}`, line }]);
}

function toValue(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new ModelError(file, 'document', [{ field: '', message: `invalid YAML: ${lowerFirst(message)}` }], { cause: error });
  }
}

function lineOfPath(doc: Document, lineCounter: LineCounter, path: ReadonlyArray<string | number>): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) return lineCounter.linePos(range[0]).line;
  }
  return undefined;
}

/**
 * The first line of a `yaml` error, lowercased, without its position (callers report the line
 * themselves). Shared with the manifest parser in shared/render.
 * @example yamlErrorReason('Map keys must be unique at line 2, column 1:\n\n…') // 'map keys must be unique'
 */
export function yamlErrorReason(message: string): string {
  return lowerFirst(message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim());
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** The one document of `kind` in a YAML file, parsed by `parse`; anything but exactly one is an error. */
export function parseSingleDocument<T>(
  text: string, file: string, kind: string, parse: (value: unknown, file: string, doc: SourceDocument) => T,
): T {
  const docs = parseYamlDocuments(text, file);
  if (docs.length !== 1) {
    throw new ModelError(file, kind, [{ field: '', message: `expected one ${kind} document, found ${docs.length}` }]);
  }
  return parse(docs[0].value, file, docs[0]);
}
