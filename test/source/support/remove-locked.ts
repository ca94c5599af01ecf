// Run as an unprivileged user by workdir.test.ts: makes a work dir holding a mode-000 directory,
// tries a plain recursive rm (which cannot descend into it), then removeWorkDir. Prints the outcome.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeWorkDir } from '../../../shared/source/workdir.ts';

const root = join(process.argv[2], 'work');
mkdirSync(join(root, 'locked'), { recursive: true });
writeFileSync(join(root, 'locked', 'secret.yaml'), 'a: 1\n');
chmodSync(join(root, 'locked'), 0);
const plain = await rm(root, { recursive: true, force: true }).then(
  () => 'removed',
  (error: NodeJS.ErrnoException) => error.code,
);
await removeWorkDir(root);
console.log(JSON.stringify({ plain, left: existsSync(root) }));
