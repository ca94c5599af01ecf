/**
 * shared/render: manifests at a commit. The render λ, `gitwave render`, `gitwave plan` and
 * `gitwave lint` all render through `Renderer`; see types.ts for the request and result shapes.
 */
export { Renderer, type RendererOptions } from './renderer.ts';
export { RenderError, renderError, describeProblem, sanitizeMessage, type RenderProblem } from './errors.ts';
export { MemoryRenderCache, DirectoryRenderCache, renderCacheKey, canonicalJson, type RenderCache, type CacheKeyInput } from './cache.ts';
export { buildEnv, envsubst, type BuildEnvInput } from './envsubst.ts';
export { findKustomize, type KustomizeCommand } from './kustomize-run.ts';
export { stringifyManifests, parseManifestStream, type ParsedDocument } from './yaml.ts';
export { renderSourceOf, buildEnvOf, renderRequestFor, isChartRepositorySource, type RenderableApplication } from './from-application.ts';
export { findHelm, type HelmCommand } from './helm-binary.ts';
export { resolveLocalSource, findGitTopLevel, type LocalSource } from './local-source.ts';
export { collectObjects, objectProblem, type SourcedValue } from './objects.ts';
export * from './types.ts';
