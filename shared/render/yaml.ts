/**
 * Manifest YAML in and out. Kubernetes tooling decodes manifests with go-yaml v2 (YAML 1.1: `yes`,
 * `on` are booleans, `0777` is octal), so gitwave parses the same way, except for YAML 1.1's
 * sexagesimal numbers and timestamps, which go-yaml leaves as strings (`12:30` stays "12:30").
 *
 * Parsing never expands more than `maxAliasCount` aliases per document: an alias bomb fails here,
 * before kustomize (which would expand it to gigabytes) ever sees the file.
 */
import { LineCounter, parseAllDocuments, stringify, type Document, type Tags } from 'yaml';
import { yamlErrorReason } from '../model/yaml-doc.ts';
import type { RenderProblem } from './errors.ts';

/** One non-empty document of a YAML stream. */
export interface ParsedDocument {
  value: unknown;
  /** 0-based index in the stream (empty documents count). */
  index: number;
  /** 1-based line where the document's content starts. */
  line: number;
}

export interface ParsedStream {
  documents: ParsedDocument[];
  problems: RenderProblem[];
}

const SEXAGESIMAL_OR_TIMESTAMP = (tag: Tags[number]): boolean =>
  (typeof tag === 'object' && (tag.format === 'TIME' || tag.tag === 'tag:yaml.org,2002:timestamp'));

const PARSE_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: Tags): Tags => tags.filter((tag) => !SEXAGESIMAL_OR_TIMESTAMP(tag)),
  prettyErrors: false,
  uniqueKeys: true,
};

/**
 * Every document of a YAML (or JSON) text. Problems carry the file and line; a stream with
 * problems yields no documents.
 * @example parseManifestStream('a: yes\n---\nb: 1\n', 'x.yaml', 100).documents.map((d) => d.value) // [{a: true}, {b: 1}]
 */
export function parseManifestStream(text: string, file: string, maxAliasCount: number): ParsedStream {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter });
  const list: Document[] = Array.isArray(docs) ? docs : [];
  const problems = list.flatMap((doc) => doc.errors.slice(0, 1).map((error) => ({
    file,
    line: lineCounter.linePos(error.pos[0]).line,
    message: `malformed YAML: ${yamlErrorReason(error.message)}`,
  })));
  if (problems.length > 0) return { documents: [], problems: problems.slice(0, 1) };
  const documents: ParsedDocument[] = [];
  for (const [index, doc] of list.entries()) {
    if (doc.contents === null) continue;
    const line = lineCounter.linePos(doc.contents.range?.[0] ?? 0).line;
    try {
      const value: unknown = doc.toJS({ maxAliasCount });
      if (value !== null && value !== undefined) documents.push({ value, index, line });
    } catch (error) {
      const reason = error instanceof Error ? yamlErrorReason(error.message) : 'cannot be decoded';
      return { documents: [], problems: [{ file, line, message: `refused YAML: ${reason}` }] };
    }
  }
  return { documents, problems: [] };
}

/**
 * Objects as a YAML stream, one document each, readable by go-yaml v2 (strings that YAML 1.1 would
 * read as something else are quoted).
 */
export function stringifyManifests(objects: readonly unknown[]): string {
  return objects
    .map((object) => stringify(object, { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false }))
    .join('---\n');
}
