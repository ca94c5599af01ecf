import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { connectEks, ClusterAuthError, EksTokenSource, KubeClusterClient } from '../../shared/kube/index.ts';
import { KubeTransport } from '../../shared/kube/transport.ts';
import { HttpsTransport } from '../../shared/kube/https-transport.ts';
import { ASSUMED_KEY_ID, startAwsStandIn, type AwsStandIn } from './helpers/aws-stand-in.ts';
import { startSimFixture, type SimFixture } from './helpers/sim.ts';

const credentials = { accessKeyId: 'AKIDLAMBDAROLE000001', secretAccessKey: 'lambdaSecret' };

/** A real token source that counts how often it is asked to mint after a 401. */
class CountingTokenSource extends EksTokenSource {
  refreshes = 0;
  override refresh() {
    this.refreshes++;
    return super.refresh();
  }
}

describe('EKS connection end to end (STS/EKS stand-in, simulator as the API server)', () => {
  let aws: AwsStandIn;
  let fx: SimFixture;
  before(async () => {
    [aws, fx] = await Promise.all([startAwsStandIn(), startSimFixture()]);
    aws.clusters.set('prod', { endpoint: fx.sim.url, caData: Buffer.from('unused over loopback http').toString('base64') });
  });
  after(async () => {
    await Promise.all([aws.stop(), fx.stop()]);
  });

  it('assumes the deployer role, describes the cluster and talks to its endpoint', async () => {
    const kube = await connectEks({
      clusterName: 'prod',
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::111122223333:role/gitwave-deployer-prod',
      syncId: 'guestbook-1714980000',
      credentials,
      endpoints: { eks: aws.url, sts: aws.url },
    });
    try {
      const ns = await kube.get({ group: '', kind: 'Namespace', name: 'default' });
      assert.equal(ns?.metadata.name, 'default');
      assert.equal(kube.server, fx.sim.url);
      assert.deepEqual(aws.calls.map((c) => [c.action, c.signedBy]), [
        ['AssumeRole', credentials.accessKeyId],
        ['DescribeCluster', ASSUMED_KEY_ID],
      ]);
      assert.equal(aws.calls[0].params.RoleSessionName, 'guestbook-1714980000');
    } finally {
      await kube.close();
    }
  });

  it('mints a new token once on a 401, then fails as a configuration error', async () => {
    // Prepare: the transport as connectEks builds it, with a counting token source.
    const kc = new KubeConfig();
    kc.loadFromClusterAndUser({ name: 'prod', server: fx.sim.url, skipTLSVerify: false }, { name: 'gitwave' });
    const tokens = new CountingTokenSource({ clusterName: 'prod', region: 'eu-west-1', credentials });
    const kube = new KubeClusterClient(new KubeTransport(kc, { bearer: tokens }));
    try {
      fx.sim.setFaults({ errorRate: { get: 1 }, status: 401, times: 1 });
      assert.equal((await kube.get({ group: '', kind: 'Namespace', name: 'default' }))?.metadata.name, 'default');
      assert.equal(tokens.refreshes, 1);
      fx.sim.setFaults({ errorRate: { get: 1 }, status: 401 });
      await assert.rejects(kube.get({ group: '', kind: 'Namespace', name: 'default' }), ClusterAuthError);
      assert.equal(tokens.refreshes, 2, 'one refresh per request, no loop');
    } finally {
      fx.sim.setFaults({});
      await kube.close();
    }
  });

  it('the node:https transport connectEks uses mints a new token once on a 401, then fails as a configuration error', async () => {
    const tokens = new CountingTokenSource({ clusterName: 'prod', region: 'eu-west-1', credentials });
    const kube = new KubeClusterClient(new HttpsTransport({ server: fx.sim.url, bearer: tokens }));
    try {
      fx.sim.setFaults({ errorRate: { get: 1 }, status: 401, times: 1 });
      assert.equal((await kube.get({ group: '', kind: 'Namespace', name: 'default' }))?.metadata.name, 'default');
      assert.equal(tokens.refreshes, 1);
      fx.sim.setFaults({ errorRate: { get: 1 }, status: 401 });
      await assert.rejects(kube.get({ group: '', kind: 'Namespace', name: 'default' }), ClusterAuthError);
      assert.equal(tokens.refreshes, 2, 'one refresh per request, no loop');
    } finally {
      fx.sim.setFaults({});
      await kube.close();
    }
  });

  it('the node:https transport refuses plain http to a host other than loopback', () => {
    const tokens = new EksTokenSource({ clusterName: 'prod', region: 'eu-west-1', credentials });
    assert.throws(() => new HttpsTransport({ server: 'http://api.example.com', bearer: tokens }), /refusing to send credentials over plain http to api.example.com/);
  });
});
