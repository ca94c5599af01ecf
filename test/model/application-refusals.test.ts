// Every refusal of an Application, one fixture each, with the exact message a person sees.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseApplication } from '../../shared/model/application.ts';
import { fixture, modelErrorOf } from './helpers.ts';

const KNOWN_OPTIONS = 'Prune, Delete, Validate, SkipDryRunOnMissingResource, ApplyOutOfSyncOnly, PrunePropagationPolicy, '
  + 'PruneLast, Replace, Force, ServerSideApply, ClientSideApplyMigration, CreateNamespace, FailOnSharedResource, RespectIgnoreDifferences';

const CASES: Array<[file: string, message: string]> = [
  ['helm.yaml', 'helm.yaml:10: Application/bad: spec.source.helm.passCredentials: passing credentials to chart repositories is refused until repository credentials exist'],
  ['helm-version.yaml', 'helm-version.yaml:10: Application/bad: spec.source.helm.version: only Helm v3 is supported'],
  ['chart.yaml', 'chart.yaml:7: Application/bad: spec.source.repoURL: OCI registries are not supported yet: use an https:// chart repository (with an index.yaml)'],
  ['chart-http.yaml', 'chart-http.yaml:7: Application/bad: spec.source.repoURL: plain http:// chart repositories are refused (except on loopback addresses): use https://'],
  ['chart-no-version.yaml', 'chart-no-version.yaml:9: Application/bad: spec.source.targetRevision: a chart source needs the exact chart version in targetRevision'],
  ['plugin.yaml', 'plugin.yaml:10: Application/bad: spec.source.plugin: config management plugins are not supported yet'],
  ['multi-source.yaml', 'multi-source.yaml:7: Application/bad: spec.sources: multi-source Applications are not supported yet; use spec.source'],
  ['ref.yaml', 'ref.yaml:9: Application/bad: spec.source.ref: source references belong to multi-source Applications, which are not supported yet'],
  ['jsonnet.yaml', 'jsonnet.yaml:11: Application/bad: spec.source.directory.jsonnet: Jsonnet is not supported yet'],
  ['source-hydrator.yaml', 'source-hydrator.yaml:7: Application/bad: spec.sourceHydrator: source hydration is not supported yet'],
  ['operation.yaml', 'operation.yaml:13: Application/bad: operation: operations are not read from manifests; start a sync with gitwave instead'],
  ['status.yaml', 'status.yaml:13: Application/bad: status: status is written by gitwave, not read from manifests; remove it'],
  ['unknown-field.yaml', 'unknown-field.yaml:10: Application/bad: spec.source.kustomise: unknown field'],
  ['destination-both.yaml', 'destination-both.yaml:10: Application/bad: spec.destination: set server or name, not both'],
  ['destination-none.yaml', 'destination-none.yaml:10: Application/bad: spec.destination: one of server and name is required'],
  ['no-source.yaml', 'no-source.yaml:6: Application/bad: spec.source: required'],
  ['bad-duration.yaml', 'bad-duration.yaml:15: Application/bad: spec.syncPolicy.retry.backoff.duration: invalid duration "5 minutes" (a number of seconds, or like 5s, 3m, 1h30m)'],
  ['sync-option-unknown.yaml', `sync-option-unknown.yaml:14: Application/bad: spec.syncPolicy.syncOptions[0]: unknown sync option "CreateNamespaces"; known: ${KNOWN_OPTIONS}`],
  ['sync-option-value.yaml', 'sync-option-value.yaml:14: Application/bad: spec.syncPolicy.syncOptions[0]: sync option PrunePropagationPolicy must be one of foreground, background, orphan'],
  ['path-escape.yaml', 'path-escape.yaml:8: Application/bad: spec.source.path: path must stay inside the repository'],
  ['path-absolute.yaml', 'path-absolute.yaml:8: Application/bad: spec.source.path: path must be relative to the repository root'],
  ['repo-credentials.yaml', 'repo-credentials.yaml:7: Application/bad: spec.source.repoURL: credentials must not be written in repoURL; register a repository token instead'],
  ['repo-oci.yaml', 'repo-oci.yaml:7: Application/bad: spec.source.repoURL: OCI sources are not supported yet'],
  ['revision-number.yaml', 'revision-number.yaml:8: Application/bad: spec.source.targetRevision: expected string, got number (quote the value)'],
  ['history-negative.yaml', 'history-negative.yaml:12: Application/bad: spec.revisionHistoryLimit: must be at least 0'],
  ['bad-name.yaml', 'bad-name.yaml:4: Application/Web_App: metadata.name: must be a lowercase DNS-1123 name (a-z, 0-9, "-", ".")'],
  ['label-not-string.yaml', 'label-not-string.yaml:6: Application/bad: metadata.labels.enabled: expected string, got boolean (quote the value)'],
  ['ignore-differences.yaml', 'ignore-differences.yaml:13: Application/bad: spec.ignoreDifferences[0].kind: required\n'
    + 'ignore-differences.yaml:14: Application/bad: spec.ignoreDifferences[0].jsonPointers[0]: a JSON pointer starts with "/"'],
  ['replicas-count.yaml', 'replicas-count.yaml:11: Application/bad: spec.source.kustomize.replicas[0].count: must be a whole number'],
  ['patch-both.yaml', 'patch-both.yaml:10: Application/bad: spec.source.kustomize.patches[0]: a patch needs exactly one of path and patch'],
  ['kind-wrong.yaml', 'kind-wrong.yaml:2: ApplicationSet/bad: kind: must be one of "Application"'],
  ['malformed.yaml', "malformed.yaml:12: document: invalid YAML: missing closing 'quote"],
  ['tab.yaml', 'tab.yaml:10: document: invalid YAML: tabs are not allowed as indentation'],
  ['alias-bomb.yaml', 'alias-bomb.yaml: document: invalid YAML: excessive alias count indicates a resource exhaustion attack'],
  ['two-documents.yaml', 'two-documents.yaml: Application: expected one Application document, found 2'],
];

describe('Application refusals', () => {
  for (const [file, message] of CASES) {
    it(`refuses ${file} naming file, object and field`, () => {
      const error = modelErrorOf(() => parseApplication(fixture(`app-refused/${file}`), file));
      assert.equal(error.message, message);
    });
  }

  it('never echoes a token written in repoURL', () => {
    const error = modelErrorOf(() => parseApplication(fixture('app-refused/repo-credentials.yaml'), 'x.yaml'));
    assert.doesNotMatch(error.message, /SECRETTOKEN|robot/);
  });

  it('reports every issue of a document, not only the first', () => {
    const error = modelErrorOf(() => parseApplication(fixture('app-refused/ignore-differences.yaml'), 'x.yaml'));
    assert.deepEqual(error.issues.map((i) => [i.field, i.line]), [
      ['spec.ignoreDifferences[0].kind', 13], ['spec.ignoreDifferences[0].jsonPointers[0]', 14],
    ]);
    assert.equal(error.field, 'spec.ignoreDifferences[0].kind');
  });
});
