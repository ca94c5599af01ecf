import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { assumeRoleCredentials, describeEksCluster, sessionNameOf } from '../../shared/kube/eks/aws.ts';
import { ClusterAuthError, TerminalClusterError } from '../../shared/kube/errors.ts';
import { ASSUMED_KEY_ID, startAwsStandIn, type AwsStandIn } from './helpers/aws-stand-in.ts';

const baseCredentials = { accessKeyId: 'AKIDLAMBDAROLE000001', secretAccessKey: 'lambdaSecret' };
const roleArn = 'arn:aws:iam::111122223333:role/gitwave-deployer-prod';

describe('EKS connection AWS calls (against a local STS/EKS stand-in)', () => {
  let aws: AwsStandIn;
  before(async () => {
    aws = await startAwsStandIn();
    aws.clusters.set('prod', { endpoint: 'https://prod.example.eks.amazonaws.com', caData: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64') });
  });
  after(() => aws.stop());

  it('assumes the deployer role with the sync id as session name, once while the credentials last', async () => {
    // Prepare
    aws.calls.length = 0;
    const sts = new STSClient({ region: 'eu-west-1', endpoint: aws.url, credentials: baseCredentials });
    const provider = assumeRoleCredentials(sts, roleArn, 'sync/2024-05-06:abc');
    // Act
    const [first, second] = await Promise.all([provider(), provider()]);
    const third = await provider();
    // Assess
    assert.equal(first.accessKeyId, ASSUMED_KEY_ID);
    assert.equal(second, first);
    assert.equal(third, first);
    const assumes = aws.calls.filter((c) => c.action === 'AssumeRole');
    assert.equal(assumes.length, 1);
    assert.equal(assumes[0].params.RoleArn, roleArn);
    assert.equal(assumes[0].params.RoleSessionName, 'sync-2024-05-06-abc');
    assert.equal(assumes[0].signedBy, baseCredentials.accessKeyId);
  });

  it('describes the cluster with the assumed credentials and returns endpoint and CA', async () => {
    aws.calls.length = 0;
    const sts = new STSClient({ region: 'eu-west-1', endpoint: aws.url, credentials: baseCredentials });
    const eks = new EKSClient({ region: 'eu-west-1', endpoint: aws.url, credentials: assumeRoleCredentials(sts, roleArn, 'sync-1') });
    const info = await describeEksCluster(eks, 'prod');
    assert.equal(info.endpoint, 'https://prod.example.eks.amazonaws.com');
    assert.equal(Buffer.from(info.caData, 'base64').toString(), '-----BEGIN CERTIFICATE-----');
    const describe = aws.calls.find((c) => c.action === 'DescribeCluster');
    assert.equal(describe?.signedBy, ASSUMED_KEY_ID);
  });

  it('fails terminally for an unknown cluster, naming it', async () => {
    const eks = new EKSClient({ region: 'eu-west-1', endpoint: aws.url, credentials: baseCredentials });
    await assert.rejects(describeEksCluster(eks, 'nope'), (err: Error) => err instanceof TerminalClusterError && /describe eks cluster nope/.test(err.message));
  });

  it('reports a refused AssumeRole as an auth error', async () => {
    aws.denyAssumeRole = true;
    try {
      const sts = new STSClient({ region: 'eu-west-1', endpoint: aws.url, credentials: baseCredentials });
      await assert.rejects(assumeRoleCredentials(sts, roleArn, 'sync-2')(), (err: Error) => err instanceof ClusterAuthError && /assume role/.test(err.message));
    } finally {
      aws.denyAssumeRole = false;
    }
  });
});

describe('sessionNameOf', () => {
  it('keeps allowed characters, replaces the rest, and caps the length at 64', () => {
    assert.equal(sessionNameOf('app@team=1,2.3+x_y-z'), 'app@team=1,2.3+x_y-z');
    assert.equal(sessionNameOf('a b'), 'a-b');
    assert.equal(sessionNameOf('x'.repeat(80)).length, 64);
    assert.equal(sessionNameOf('x'), 'gitwave-x');
  });
});
