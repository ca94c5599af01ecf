/** The error the diff raises for bad configuration (an `ignoreDifferences` entry it cannot use). */

/**
 * A configuration error in diff options. The message names the entry and field, never an object's values.
 * @example new DiffConfigError('ignoreDifferences[0].jsonPointers[1]: "spec" does not start with "/"')
 */
export class DiffConfigError extends Error {
  override readonly name = 'DiffConfigError';
}
