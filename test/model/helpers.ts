// Reads model fixtures in place and captures the ModelError a parse throws.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ModelError } from '../../shared/model/model-error.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/model/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(FIXTURES + name, 'utf8');
}

/** The ModelError `parse` throws (fails the test when it throws none, or something else). */
export function modelErrorOf(parse: () => unknown): ModelError {
  try {
    parse();
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ModelError, but the document parsed');
}
