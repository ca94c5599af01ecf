/**
 * shared/health: the health of live objects (SPEC-sync §4), hook completion (§2.5) and
 * Application health (§4.3). Pure functions of data.
 */
export { HEALTH_ORDER, type HealthStatus, type HealthStatusCode } from './types.ts';
export { healthOf, isPendingDeletion, customCheckFor, HOOK_FINALIZER, type HealthOptions } from './health.ts';
export { findCustomCheck, parseCheckKey, type CustomHealthCheck, type CustomHealthChecks } from './custom.ts';
export { applicationHealthCheck } from './application.ts';
export { hasBuiltinHealth } from './builtins.ts';
export { hookOutcome, type HookOutcome, type HookPhase } from './hook-outcome.ts';
export { appHealth, type AppHealth, type AppHealthOptions, type AppHealthResource, type HealthCause } from './app-health.ts';
