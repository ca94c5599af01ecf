/**
 * What Lambda bundles get for `zod` (an esbuild alias in infra/constructs/gitwave-function.ts): zod's
 * classic API as the package exports it, less the `core` and `locales` namespaces. Re-exporting those
 * makes esbuild keep every translated error catalogue (about 264 kB of zod's 455 kB minified);
 * gitwave reads only the English messages and uses `z.core` for types alone. The local runtime and
 * the tests run the real `zod` entry.
 *
 * Modules that `import * as z from 'zod'` reach the named exports, which esbuild tree-shakes to the
 * schemas they use; `import { z } from 'zod'` takes the whole namespace object, every schema kept.
 */
import * as z from './zod-classic.ts';

export * from './zod-classic.ts';
export { z, z as default };
