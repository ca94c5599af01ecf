import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { optionsFromContext } from '../../infra/config.ts';
import { functionLogicalId, statementsOf, synthesize, type Synthesized } from './synth.ts';
import { KUSTOMIZE_LAYER } from './fixtures.ts';
import { K8S_SCHEMAS } from '../helpers/shared-data.ts';

const OIDC = { issuer: 'https://login.acme.example/', audience: 'gitwave-dashboard' };
const CLUSTER_VPC = { vpcId: 'vpc-0abc', privateSubnetIds: ['subnet-1', 'subnet-2'], availabilityZones: ['eu-west-1a', 'eu-west-1b'] };

describe('GitwaveStack options', () => {
  // One synthesis with every option, under cdk-nag (it throws on any finding not acknowledged).
  let s: Synthesized;
  // A schemas layer as `gitwave schemas pull --out <layer>/schemas` leaves it (the shared documents, copied to a temp folder).
  const schemasLayer = mkdtempSync(join(tmpdir(), 'gitwave-schemas-layer-'));
  before(() => {
    cpSync(K8S_SCHEMAS, join(schemasLayer, 'schemas'), { recursive: true });
    s = synthesize({
      codeMode: 'inline', clusterVpc: CLUSTER_VPC, kustomizeLayerPath: KUSTOMIZE_LAYER, schemasLayerPath: schemasLayer, clusterAccountIds: ['222222222222', '333333333333'],
      oidc: OIDC,
    }, { nag: true });
  });
  after(() => {
    s?.cleanup();
    rmSync(schemasLayer, { recursive: true, force: true });
  });

  it('runs only the functions that reach clusters in the given VPC', () => {
    const inVpc = (key: string) => s.json.Resources[functionLogicalId(s.json, key)].Properties.VpcConfig;
    // The api function reads the cluster for /diff.
    for (const key of ['plan', 'apply-wave', 'check-wave', 'drift', 'api']) {
      assert.deepEqual(inVpc(key)?.SubnetIds, ['subnet-1', 'subnet-2'], key);
    }
    // The render function handles untrusted content and never reaches a cluster.
    for (const key of ['webhook', 'render', 'lock', 'record', 'janitor']) assert.equal(inVpc(key), undefined, key);
  });

  it('packages an overriding kustomize as a render function layer (x86_64), mounted at /opt/bin/kustomize', () => {
    // Three layers of gitwave's (kubectl + helm, the kustomize override, the schemas), beside the AWS CLI layer CDK's dashboard deployment brings.
    const layers = Object.values(s.json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Lambda::LayerVersion');
    assert.equal(layers.filter((l) => !/awscli/.test(l.Properties.Description ?? '')).length, 3);
    const render = s.json.Resources[functionLogicalId(s.json, 'render')].Properties;
    assert.equal(render.Layers.length, 3, 'the kubectl layer, the kustomize override and the schemas');
    const kustomize = Object.values(s.json.Resources as Record<string, any>).find((r) => r.Type === 'AWS::Lambda::LayerVersion' && /kustomize/.test(r.Properties.Description));
    assert.deepEqual(kustomize.Properties.CompatibleArchitectures, ['x86_64']);
    assert.equal(render.Environment.Variables.KUSTOMIZE_PATH, '/opt/bin/kustomize');
    const others = Object.values(s.json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Lambda::Function' && r.Metadata?.['gitwave:function'] && r.Properties.Layers);
    assert.equal(others.length, 1, 'only the render function carries the layer');
  });

  it('packages the schema documents as a render layer too, and points GITWAVE_SCHEMAS at /opt/schemas', () => {
    const layers = Object.values(s.json.Resources as Record<string, any>).filter((r) => r.Type === 'AWS::Lambda::LayerVersion');
    assert.ok(layers.some((l) => /OpenAPI/.test(l.Properties.Description)));
    assert.equal(s.json.Resources[functionLogicalId(s.json, 'render')].Properties.Environment.Variables.GITWAVE_SCHEMAS, '/opt/schemas');
  });

  it('signs dashboard users in through the OIDC issuer given, with no Cognito user pool', () => {
    s.template.resourceCountIs('AWS::Cognito::UserPool', 0);
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT', JwtConfiguration: { Issuer: OIDC.issuer, Audience: [OIDC.audience] } });
  });

  it('refuses a schemas layer directory without schemas/api/v1.json.gz, naming the path', () => {
    assert.throws(() => synthesize({ codeMode: 'inline', schemasLayerPath: KUSTOMIZE_LAYER }), new RegExp(`schemasLayerPath ${KUSTOMIZE_LAYER}: no schemas/api/v1.json.gz`));
  });

  it('lets writers assume deployer roles in the listed cluster accounts only', () => {
    const assume = statementsOf(s.json, 'apply-wave').find((st) => st.Action === 'sts:AssumeRole');
    const resources = JSON.stringify(assume?.Resource);
    assert.match(resources, /iam::222222222222:role\/gitwave-deployer-\*/);
    assert.match(resources, /iam::333333333333:role\/gitwave-deployer-\*/);
    assert.doesNotMatch(resources, /AWS::AccountId/);
  });

  it('refuses a layer directory without bin/kustomize, naming the path', () => {
    const empty = mkdtempSync(join(tmpdir(), 'gitwave-layer-'));
    try {
      assert.throws(() => synthesize({ codeMode: 'inline', kustomizeLayerPath: empty }), new RegExp(`kustomizeLayerPath ${empty}: no bin/kustomize`));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('optionsFromContext', () => {
  const contextOf = (context: Record<string, unknown>) => optionsFromContext(new App({ context }));

  it('defaults to real bundling with no layer, VPC or extra accounts', () => {
    assert.deepEqual(contextOf({}), { codeMode: 'esbuild', kustomizeLayerPath: undefined, schemasLayerPath: undefined, clusterAccountIds: undefined, clusterVpc: undefined });
    assert.deepEqual(contextOf({ oidcIssuer: OIDC.issuer, oidcAudience: OIDC.audience }).oidc, OIDC);
  });

  it('reads the layer path, the accounts and the VPC given with -c', () => {
    const options = contextOf({
      kustomizeLayerPath: '/layers/kustomize',
      schemasLayerPath: '/layers/schemas',
      clusterAccountIds: '222222222222, 333333333333',
      clusterVpc: JSON.stringify(CLUSTER_VPC),
      'gitwave:codeMode': 'inline',
    });
    assert.equal(options.kustomizeLayerPath, '/layers/kustomize');
    assert.equal(options.schemasLayerPath, '/layers/schemas');
    assert.deepEqual(options.clusterAccountIds, ['222222222222', '333333333333']);
    assert.deepEqual(options.clusterVpc, CLUSTER_VPC);
    assert.equal(options.codeMode, 'inline');
  });

  it('rejects a malformed VPC or code mode with a message naming the context key', () => {
    assert.throws(() => contextOf({ clusterVpc: { vpcId: 'vpc-1', privateSubnetIds: ['s-1'], availabilityZones: [] } }), /context clusterVpc/);
    assert.throws(() => contextOf({ 'gitwave:codeMode': 'docker' }), /context gitwave:codeMode/);
    assert.throws(() => contextOf({ oidcIssuer: OIDC.issuer }), /context oidcIssuer and oidcAudience: give both/);
    assert.throws(() => contextOf({ oidcIssuer: 'http://login.acme.example', oidcAudience: 'x' }), /context oidcIssuer: expected an https:\/\/ URL/);
  });
});
