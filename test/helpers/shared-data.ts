/**
 * Where the test data shared by the team lives: `../shared` beside the repository (the folder CI
 * lays next to its clone), read in place and never copied in. `GITWAVE_SHARED` overrides it.
 */
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');

export const SHARED_DIR = process.env.GITWAVE_SHARED ?? resolve(REPO, '..', 'shared');
/** The Kubernetes v1.32 OpenAPI v3 documents. */
export const K8S_SCHEMAS = join(SHARED_DIR, 'k8s-openapi', 'v1.32');
/** Peers' fixtures with expected results. */
export const CONFORMANCE = join(SHARED_DIR, 'conformance');
