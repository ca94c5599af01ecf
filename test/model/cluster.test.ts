import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allowsOverrides, clusterMatchesDestination, findDestinationCluster, parseCluster, parseClusters,
} from '../../shared/model/cluster.ts';
import { fixture, modelErrorOf } from './helpers.ts';

const dev = parseCluster(fixture('cluster/eks-dev.yaml'), 'eks-dev.yaml');
const local = parseCluster(fixture('cluster/local.yaml'), 'local.yaml');

describe('parseCluster', () => {
  it('reads an EKS cluster with its deployer and reader roles and labels', () => {
    assert.deepEqual(dev, {
      name: 'dev', server: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com', labels: { env: 'dev' },
      connection: {
        type: 'eks', clusterName: 'acme-dev', region: 'eu-west-1',
        roleArn: 'arn:aws:iam::123456789012:role/gitwave-deployer-dev',
        readOnlyRoleArn: 'arn:aws:iam::123456789012:role/gitwave-reader-dev',
      },
    });
  });

  it('reads a kubeconfig context for local use, server left to the kubeconfig', () => {
    assert.deepEqual(local, { name: 'local', labels: {}, connection: { type: 'kubeconfig', context: 'kind-local' } });
  });

  it('reads several clusters from one stream', () => {
    const text = `${fixture('cluster/eks-dev.yaml')}---\n${fixture('cluster/local.yaml')}`;
    assert.deepEqual(parseClusters(text, 'clusters.yaml').map((c) => c.name), ['dev', 'local']);
  });

  const refusals: Array<[string, string]> = [
    ['both.yaml', 'both.yaml:6: Cluster/both: spec: set eks or kubeconfig, not both'],
    ['neither.yaml', 'neither.yaml:6: Cluster/nowhere: spec: one of eks and kubeconfig is required'],
    ['bad-fields.yaml', 'bad-fields.yaml:6: Cluster/prod: spec.server: must be an http(s) URL\n'
      + 'bad-fields.yaml:9: Cluster/prod: spec.eks.region: must be an AWS region such as eu-west-1\n'
      + 'bad-fields.yaml:10: Cluster/prod: spec.eks.roleArn: must be an IAM role ARN'],
  ];
  for (const [file, message] of refusals) {
    it(`refuses ${file}`, () => {
      assert.equal(modelErrorOf(() => parseCluster(fixture(`cluster/${file}`), file)).message, message);
    });
  }
});

describe('cluster lookup', () => {
  it('matches a destination by name, or by server ignoring a trailing slash', () => {
    assert.equal(clusterMatchesDestination(dev, { name: 'dev' }), true);
    assert.equal(clusterMatchesDestination(dev, { name: 'local' }), false);
    assert.equal(clusterMatchesDestination(dev, { server: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com/' }), true);
    assert.equal(clusterMatchesDestination(local, { server: 'https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com' }), false);
    assert.equal(findDestinationCluster([local, dev], { name: 'dev' }), dev);
    assert.equal(findDestinationCluster([local, dev], { name: 'prod' }), undefined);
  });

  it('allows one-off overrides only on clusters labelled env=dev', () => {
    assert.equal(allowsOverrides(dev), true);
    assert.equal(allowsOverrides(local), false);
    assert.equal(allowsOverrides({ ...dev, labels: { env: 'prod' } }), false);
  });
});
