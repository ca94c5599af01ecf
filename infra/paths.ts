/** Where the project lives on disk, for bundling entries and assets (infra/ sits at the project root). */
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
