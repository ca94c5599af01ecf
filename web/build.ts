/**
 * Builds the dashboard (web/src → web/dist) with esbuild: one minified ES module bundle, the CSS and
 * index.html. Fast enough (well under a second) that the local runtime builds it at start whenever
 * web/dist is missing or older than a source file, so `npm start` and the tests never serve a stale
 * dashboard and need no network.
 */
import { build, buildSync, type BuildOptions } from 'esbuild';
import { copyFileSync, existsSync, globSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const WEB_ROOT = resolve(new URL('.', import.meta.url).pathname);
export const DIST = join(WEB_ROOT, 'dist');
const STAMP = join(DIST, '.built');

/** Source files the bundle depends on (web/src, index.html, this script). */
function sources(): string[] {
  return [...globSync('src/**/*', { cwd: WEB_ROOT }).map((f) => join(WEB_ROOT, f)), join(WEB_ROOT, 'index.html'), join(WEB_ROOT, 'build.ts')];
}

/** Whether web/dist is missing or older than any source. */
export function isStale(): boolean {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return sources().some((file) => statSync(file).mtimeMs > built);
}

export interface BuildResult {
  /** Bytes of app.js and app.css, and their gzip sizes as the browser downloads them. */
  bytes: number;
  files: Record<string, number>;
}

const OPTIONS: BuildOptions = {
  entryPoints: { app: join(WEB_ROOT, 'src/main.tsx') },
  bundle: true, minify: true, format: 'esm', target: 'es2022', outdir: DIST, metafile: true,
  jsx: 'automatic', jsxImportSource: 'preact', logLevel: 'silent', legalComments: 'none',
};

/** index.html beside the bundle, the stamp, and the sizes of what a browser downloads. */
function finish(outputs: Record<string, { bytes: number }>): BuildResult {
  copyFileSync(join(WEB_ROOT, 'index.html'), join(DIST, 'index.html'));
  writeFileSync(STAMP, new Date().toISOString());
  const files = Object.fromEntries(Object.entries(outputs).map(([file, out]) => [file.split('/').at(-1)!, out.bytes]));
  return { bytes: Object.values(files).reduce((a, b) => a + b, 0), files };
}

/** Builds web/dist; returns the size of what a browser downloads. */
export async function buildDashboard(): Promise<BuildResult> {
  mkdirSync(DIST, { recursive: true });
  return finish((await build(OPTIONS)).metafile!.outputs);
}

/**
 * Builds web/dist now if it is missing or stale, synchronously (the CDK stack, whose constructors
 * cannot wait, deploys it). Returns the folder.
 */
export function ensureDashboardSync(): string {
  if (isStale()) {
    mkdirSync(DIST, { recursive: true });
    finish(buildSync(OPTIONS).metafile!.outputs);
  }
  return DIST;
}

/** Builds when stale; resolves to the build result, or undefined when dist was current. */
export async function ensureDashboard(): Promise<BuildResult | undefined> {
  return isStale() ? buildDashboard() : undefined;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const built = await buildDashboard();
  console.log(`web/dist: ${JSON.stringify(built.files)} (${built.bytes} bytes)`);
}
