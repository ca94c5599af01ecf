/** Argo CD's build environment and its substitution rules (Go's os.Expand). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildEnv, buildEnvOf, envsubst, renderRequestFor } from '../../shared/render/index.ts';

const env = { ARGOCD_APP_NAME: 'web', ARGOCD_APP_REVISION: 'abc' };

describe('envsubst', () => {
  const cases: Array<[string, string]> = [
    ['${ARGOCD_APP_NAME}', 'web'],
    ['$ARGOCD_APP_NAME-x', 'web-x'],
    ['${ARGOCD_APP_NAME}:${ARGOCD_APP_REVISION}', 'web:abc'],
    ['${UNKNOWN}', ''],
    ['cost: $$5', 'cost: $5'],
    ['trailing $', 'trailing $'],
    ['$/path', '$/path'],
    ['${}x', 'x'],
    ['${unclosed', 'unclosed'],
    ['$1 and $*', ' and '],
    ['no variables', 'no variables'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => assert.equal(envsubst(input, env), expected));
  }
});

describe('buildEnv', () => {
  it('sets Argo CD\'s variables, short revisions included', () => {
    const vars = buildEnv({ appName: 'web', namespace: 'team', revision: '0123456789abcdef', repoURL: 'https://github.com/o/r', path: 'api', targetRevision: 'main' });
    assert.deepEqual(
      [vars.ARGOCD_APP_NAME, vars.ARGOCD_APP_NAMESPACE, vars.ARGOCD_APP_PROJECT_NAME, vars.ARGOCD_APP_REVISION_SHORT, vars.ARGOCD_APP_REVISION_SHORT_8, vars.ARGOCD_APP_SOURCE_PATH],
      ['web', 'team', 'default', '0123456', '01234567', 'api'],
    );
  });

  it('is made from an Application', () => {
    const app = { metadata: { name: 'orders' }, spec: { project: 'apis', source: { repoURL: 'r', path: 'p', targetRevision: 'HEAD' }, destination: { namespace: 'orders-dev' } } };
    const vars = buildEnvOf(app, 'f'.repeat(40));
    assert.deepEqual([vars.ARGOCD_APP_NAME, vars.ARGOCD_APP_PROJECT_NAME, vars.ARGOCD_APP_NAMESPACE], ['orders', 'apis', 'orders-dev']);
  });
});

describe('renderRequestFor', () => {
  it('renders an Application\'s path at a commit, keyed by its normalised repository', () => {
    const app = { metadata: { name: 'orders' }, spec: { source: { repoURL: 'https://GitHub.com/Org/Manifests.git', path: 'api/orders', kustomize: { namePrefix: 'x-' } }, destination: { namespace: 'ns' } } };
    const request = renderRequestFor(app, '/tmp/checkout', 'a'.repeat(40));
    assert.deepEqual([request.root, request.path, request.origin, request.source], ['/tmp/checkout', 'api/orders', { repo: 'github.com/org/manifests', commit: 'a'.repeat(40) }, { kustomize: { namePrefix: 'x-' } }]);
    assert.equal(request.env?.ARGOCD_APP_REVISION, 'a'.repeat(40));
  });
});
