/** Paths of the infra test fixtures. */
import { fileURLToPath } from 'node:url';

/** A layer directory shaped like the real one (`bin/kustomize`), with a stand-in script. */
export const KUSTOMIZE_LAYER = fileURLToPath(new URL('../fixtures/infra/kustomize-layer', import.meta.url));
