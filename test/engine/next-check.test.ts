// When a progressing wave is looked at again (issue 9, "no fixed sleeps"): from what is still pending,
// always 1 to 15 whole seconds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generationLags, nextCheckSeconds } from '../../shared/engine/next-check.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const NOW = Date.parse('2026-12-06T10:00:00Z') / 1000;
const ago = (seconds: number) => new Date((NOW - seconds) * 1000).toISOString();
const applied = (seconds: number) => [{ manager: 'gitwave', operation: 'Apply', time: ago(seconds) }];

describe('next check of a progressing wave', () => {
  it('is 1 s while a controller has not seen the latest generation', () => {
    const lagging: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', generation: 3, managedFields: applied(40) }, status: { observedGeneration: 2 } };
    assert.equal(generationLags(lagging), true);
    assert.equal(nextCheckSeconds([lagging], NOW), 1);
  });

  it('waits out a Job\'s expected duration, else half of how long it has run', () => {
    const job = (annotations: Record<string, string>): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', annotations }, status: { startTime: ago(3) } });
    assert.equal(nextCheckSeconds([job({ 'gitwave.dev/expected-duration': '10' })], NOW), 7);
    assert.equal(nextCheckSeconds([job({})], NOW), 2); // 1.5 s, whole seconds up
  });

  it('gives a rollout the time left at its pace since gitwave applied it', () => {
    const rollout: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', managedFields: applied(4) }, spec: { replicas: 3 }, status: { updatedReplicas: 1, readyReplicas: 1 } };
    assert.equal(nextCheckSeconds([rollout], NOW), 8);
  });

  it('backs off by half the wait for anything else, bounded to 1..15 s, and takes the soonest of several', () => {
    const other = (seconds: number): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: `s${seconds}`, managedFields: applied(seconds) } });
    assert.equal(nextCheckSeconds([other(10)], NOW), 5);
    assert.equal(nextCheckSeconds([other(600)], NOW), 15);
    assert.equal(nextCheckSeconds([other(0)], NOW), 1);
    assert.equal(nextCheckSeconds([other(600), other(10)], NOW), 5);
    assert.equal(nextCheckSeconds([], NOW), 1);
  });
});
