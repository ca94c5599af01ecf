/**
 * `metadata.generateName` through kustomize. kustomize (v5.5, kubernetes-sigs/kustomize#641) refuses
 * any resource without `metadata.name`, yet a PreSync migration Job created with generateName is
 * exactly what Argo CD hooks are for. gitwave gives such a document a placeholder name in the
 * scratch copy (`<generateName>gitwave-generatename-<n>`) and, after the build, turns the
 * transformed name back into a generateName: namePrefix and nameSuffix therefore apply to it
 * (`dev-` + `orders-migrate-`), as they would to a name. Only the documents concerned are touched;
 * the rest of the file keeps its exact text.
 */
import { isMap, parseAllDocuments } from 'yaml';
import { isRecord } from '../model/object.ts';

const MARKER = 'gitwave-generatename-';
const PLACEHOLDER = /gitwave-generatename-\d+/;

/** Numbers placeholders uniquely within one render. */
export class PlaceholderCounter {
  private next = 0;
  take(): number {
    return this.next++;
  }
}

/**
 * The file text with a placeholder name on every document that has only a generateName, or
 * undefined when no document needs one.
 */
export function withNamePlaceholders(text: string, counter: PlaceholderCounter): string | undefined {
  if (!text.includes('generateName')) return undefined;
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return undefined;
  let changed = false;
  for (const doc of docs) {
    const meta = doc.getIn(['metadata'], true);
    if (!isMap(meta)) continue;
    const generateName = doc.getIn(['metadata', 'generateName']);
    const name = doc.getIn(['metadata', 'name']);
    if (typeof generateName === 'string' && generateName !== '' && (name === undefined || name === null || name === '')) {
      doc.setIn(['metadata', 'name'], `${generateName}${MARKER}${counter.take()}`);
      changed = true;
    }
  }
  return changed ? docs.map((doc) => doc.toString()).join('---\n') : undefined;
}

/** Turns a placeholder name in kustomize's output back into a generateName (in place). */
export function restoreGenerateName(value: unknown): void {
  if (!isRecord(value) || !isRecord(value.metadata)) return;
  const meta = value.metadata;
  if (typeof meta.name !== 'string' || !PLACEHOLDER.test(meta.name)) return;
  meta.generateName = meta.name.replace(PLACEHOLDER, '');
  delete meta.name;
}
