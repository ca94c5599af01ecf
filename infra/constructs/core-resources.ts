/** What every composite construct of the stack receives: function defaults, the table and the bucket. */
import type { ArtifactBucket } from './artifact-bucket.ts';
import type { FunctionDefaults } from './gitwave-function.ts';
import type { StateTable } from './state-table.ts';

export interface CoreResources {
  readonly defaults: FunctionDefaults;
  readonly table: StateTable;
  readonly bucket: ArtifactBucket;
}
