import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  appInstanceOf, cascadeOf, isAutomated, parseApplication, parseApplicationObject, parseApplications,
} from '../../shared/model/application.ts';
import { fixture, modelErrorOf } from './helpers.ts';

describe('parseApplication', () => {
  it('reads every supported field as written', () => {
    const app = parseApplication(fixture('application-full.yaml'), 'application-full.yaml');
    assert.deepEqual(app.metadata, {
      name: 'web-prod', namespace: 'argocd', labels: { team: 'web' },
      annotations: { 'notifications.argoproj.io/subscribe.on-sync-succeeded.slack': 'deploys' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    });
    assert.equal(app.spec.project, 'web');
    assert.deepEqual(app.spec.source, {
      repoURL: 'git@github.com:acme/web-config.git',
      targetRevision: 'release-1.4',
      path: 'overlays/prod',
      kustomize: {
        namePrefix: 'prod-', nameSuffix: '-v1',
        images: ['web=ghcr.io/acme/web:1.4.2', 'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'],
        replicas: [{ name: 'web', count: 3 }, { name: 'worker', count: 2 }],
        commonLabels: { env: 'prod' }, forceCommonLabels: true, labelWithoutSelector: true, labelIncludeTemplates: true,
        commonAnnotations: { owner: '${ARGOCD_APP_NAME}' }, forceCommonAnnotations: true, commonAnnotationsEnvsubst: true,
        namespace: 'web',
        components: ['../../components/monitoring'], ignoreMissingComponents: true,
        patches: [
          {
            target: { kind: 'Deployment', name: 'web' },
            patch: '- op: replace\n  path: /spec/template/spec/containers/0/ports/0/containerPort\n  value: 8443',
            options: { allowNameChange: true },
          },
          { path: 'patches/resources.yaml' },
        ],
        version: 'v5.5.0', kubeVersion: '1.32', apiVersions: ['monitoring.coreos.com/v1'],
      },
    });
    assert.deepEqual(app.spec.destination, { server: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com', namespace: 'web' });
    assert.deepEqual(app.spec.syncPolicy, {
      automated: { enabled: true, prune: true, selfHeal: true, allowEmpty: true },
      syncOptions: ['CreateNamespace=true', 'PrunePropagationPolicy=background', 'ApplyOutOfSyncOnly=true', 'Prune=confirm'],
      retry: { limit: -1, backoff: { durationSeconds: 10, factor: 3, maxDurationSeconds: 5400 }, refresh: true },
      managedNamespaceMetadata: { labels: { 'istio-injection': 'enabled' }, annotations: { owner: 'web-team' } },
    });
    assert.deepEqual(app.spec.ignoreDifferences, [
      {
        group: 'apps', kind: 'Deployment', name: 'web', namespace: 'web', jsonPointers: ['/spec/replicas'],
        jqPathExpressions: ['.spec.template.spec.initContainers[] | select(.name == "istio-init")'],
        managedFieldsManagers: ['kube-controller-manager'],
      },
      { group: '', kind: 'ConfigMap', jsonPointers: ['/data/generated'], jqPathExpressions: [], managedFieldsManagers: [] },
    ]);
    assert.equal(app.spec.revisionHistoryLimit, 3);
    assert.deepEqual(app.spec.info, [{ name: 'runbook', value: 'https://wiki.acme.example/web' }]);
  });

  it('fills in Argo CD defaults when fields are left out', () => {
    const app = parseApplication(fixture('application-minimal.yaml'), 'application-minimal.yaml');
    assert.deepEqual(app, {
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
      metadata: { name: 'guestbook', labels: {}, annotations: {}, finalizers: [] },
      spec: {
        project: 'default',
        source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: '.' },
        destination: { name: 'dev' },
        syncPolicy: { syncOptions: [] },
        ignoreDifferences: [],
        revisionHistoryLimit: 10,
        info: [],
      },
    });
  });

  it('reads directory options, accepts an empty jsonnet block, and defaults the retry policy', () => {
    const app = parseApplication(fixture('application-directory.yaml'), 'application-directory.yaml');
    assert.deepEqual(app.spec.source.directory, { recurse: true, include: '{*.yaml,*.yml}', exclude: 'secrets/*' });
    assert.equal(app.spec.source.targetRevision, 'refs/tags/v2.0.0');
    assert.deepEqual(app.spec.syncPolicy.automated, { enabled: false, prune: false, selfHeal: false, allowEmpty: false });
    assert.deepEqual(app.spec.syncPolicy.retry, {
      limit: 0, backoff: { durationSeconds: 7, factor: 2, maxDurationSeconds: 180 }, refresh: false,
    });
    assert.equal(isAutomated(app), false);
  });

  it('reads a multi-document file with parseApplications, and refuses it in parseApplication', () => {
    const apps = parseApplications(fixture('applications-two.yaml'), 'applications-two.yaml');
    assert.deepEqual(apps.map((a) => a.metadata.name), ['web-dev', 'web-staging']);
    const error = modelErrorOf(() => parseApplication(fixture('applications-two.yaml'), 'applications-two.yaml'));
    assert.equal(error.message, 'applications-two.yaml: Application: expected one Application document, found 2');
  });

  it('parses decoded JSON (API input) with the same rules, without line numbers', () => {
    const error = modelErrorOf(() => parseApplicationObject({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'api-app' },
      spec: { source: { repoURL: 'https://github.com/a/b', helm: { passCredentials: true } }, destination: { name: 'dev' } },
    }, 'request body'));
    const reason = 'passing credentials to chart repositories is refused until repository credentials exist';
    assert.equal(error.message, `request body: Application/api-app: spec.source.helm.passCredentials: ${reason}`);
    assert.deepEqual([error.file, error.object, error.field, error.reason], [
      'request body', 'Application/api-app', 'spec.source.helm.passCredentials', reason,
    ]);
    const notAMap = modelErrorOf(() => parseApplicationObject(['x'], 'request body'));
    assert.equal(notAMap.message, 'request body: Application: expected a mapping');
  });
});

describe('application helpers', () => {
  const base = parseApplication(fixture('application-full.yaml'), 'application-full.yaml');
  const withMeta = (namespace: string | undefined, finalizers: string[]) => ({
    ...base, metadata: { ...base.metadata, namespace, finalizers },
  });

  it('derives the cascade policy from the finalizers', () => {
    assert.equal(cascadeOf(withMeta('argocd', ['resources-finalizer.argocd.argoproj.io'])), 'foreground');
    assert.equal(cascadeOf(withMeta('argocd', ['resources-finalizer.argocd.argoproj.io/background'])), 'background');
    assert.equal(cascadeOf(withMeta('argocd', [])), 'orphan');
  });

  it('names the tracking instance like Argo CD: bare name in the control plane namespace, ns_name elsewhere', () => {
    assert.equal(appInstanceOf(withMeta('argocd', [])), 'web-prod');
    assert.equal(appInstanceOf(withMeta(undefined, [])), 'web-prod');
    assert.equal(appInstanceOf(withMeta('team-a', [])), 'team-a_web-prod');
    assert.equal(appInstanceOf(withMeta('team-a', []), 'team-a'), 'web-prod');
    assert.equal(isAutomated(base), true);
  });
});

describe('Helm sources', () => {
  const chartApp = (helm: Record<string, unknown>, repoURL = 'https://charts.example/stable') => parseApplicationObject({
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'agent' },
    spec: { source: { repoURL, chart: 'agent', targetRevision: '1.2.0', helm }, destination: { name: 'dev', namespace: 'monitoring' } },
  }, 'agent.yaml');

  it('parses a chart repository source with Argo CD defaults for the helm block', () => {
    const app = chartApp({ parameters: [{ name: 'image.tag', value: 7 }], valuesObject: { a: { b: 1 } } });
    assert.equal(app.spec.source.chart, 'agent');
    assert.deepEqual(app.spec.source.helm?.parameters, [{ name: 'image.tag', value: '7', forceString: false }]);
    assert.deepEqual([app.spec.source.helm?.skipCrds, app.spec.source.helm?.valueFiles], [false, []]);
  });

  it('accepts loopback http chart repositories and refuses other http ones', () => {
    assert.equal(chartApp({}, 'http://127.0.0.1:8080/charts').spec.source.repoURL, 'http://127.0.0.1:8080/charts');
    assert.match(modelErrorOf(() => chartApp({}, 'http://10.0.0.1/charts')).message, /spec\.source\.repoURL: plain http/);
  });

  it('refuses helm next to kustomize, and a bad release name', () => {
    const both = modelErrorOf(() => parseApplicationObject({
      apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'x' },
      spec: { source: { repoURL: 'https://github.com/a/b', helm: {}, kustomize: {} }, destination: { name: 'dev' } },
    }, 'x.yaml'));
    assert.match(both.message, /spec\.source: kustomize and helm options cannot both be set/);
    assert.match(modelErrorOf(() => chartApp({ releaseName: 'Bad_Name' })).message, /spec\.source\.helm\.releaseName: must be a lowercase/);
  });
});
