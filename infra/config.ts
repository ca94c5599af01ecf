/**
 * Reads the stack's deploy-time options from CDK context (`-c key=value` or cdk.json), so that
 * `npm run synth` works with no options at all:
 * - `kustomizeLayerPath` (optional override): directory holding `bin/kustomize` (linux x86_64), used by the
 *   render function instead of the `kubectl kustomize` of AWS's kubectl v1.32 layer, which it always carries;
 * - `schemasLayerPath`: directory holding `schemas/` (`gitwave schemas pull --out <dir>/schemas`) for
 *   strict schema validation in the render function;
 * - `clusterVpc`: JSON `{"vpcId", "privateSubnetIds": [...], "availabilityZones": [...]}` to run the
 *   functions that reach clusters in private subnets (imported by attributes: no lookup, synth stays offline);
 * - `clusterAccountIds`: comma-separated accounts holding the deployer/reader roles;
 * - `oidcIssuer` and `oidcAudience`: sign people in to the dashboard through this OIDC issuer (the
 *   audience is the client id the page uses) instead of the Cognito user pool the stack creates;
 * - `gitwave:codeMode`: `inline` for template tests (stubs instead of bundles).
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { ClusterNetwork, CodeMode } from './constructs/gitwave-function.ts';

/** A VPC named by ids, as `-c clusterVpc='{…}'` gives it. */
export interface ClusterVpcAttributes {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  /** One per subnet, in the same order. */
  readonly availabilityZones: string[];
}

export interface ContextOptions {
  codeMode: CodeMode;
  kustomizeLayerPath?: string;
  schemasLayerPath?: string;
  clusterVpc?: ClusterVpcAttributes;
  clusterAccountIds?: string[];
  oidc?: { issuer: string; audience: string };
}

export function optionsFromContext(app: Construct): ContextOptions {
  const get = (key: string): unknown => app.node.tryGetContext(key);
  const codeMode = get('gitwave:codeMode') ?? 'esbuild';
  if (codeMode !== 'esbuild' && codeMode !== 'inline') throw new Error(`context gitwave:codeMode: expected esbuild or inline, got ${String(codeMode)}`);
  const accounts = get('clusterAccountIds');
  const layer = get('kustomizeLayerPath');
  const schemas = get('schemasLayerPath');
  const vpc = get('clusterVpc');
  const issuer = get('oidcIssuer');
  const audience = get('oidcAudience');
  if ((issuer === undefined) !== (audience === undefined)) throw new Error('context oidcIssuer and oidcAudience: give both (the issuer URL and the client id) or neither');
  if (issuer !== undefined && !/^https:\/\/[^\s]+$/.test(String(issuer))) throw new Error(`context oidcIssuer: expected an https:// URL, got ${String(issuer)}`);
  return {
    ...(issuer !== undefined ? { oidc: { issuer: String(issuer), audience: String(audience) } } : {}),
    codeMode,
    kustomizeLayerPath: typeof layer === 'string' && layer !== '' ? layer : undefined,
    schemasLayerPath: typeof schemas === 'string' && schemas !== '' ? schemas : undefined,
    clusterAccountIds: typeof accounts === 'string' ? accounts.split(',').map((a) => a.trim()).filter(Boolean) : undefined,
    clusterVpc: vpc === undefined ? undefined : parseClusterVpc(typeof vpc === 'string' ? JSON.parse(vpc) : vpc),
  };
}

function parseClusterVpc(value: Partial<ClusterVpcAttributes>): ClusterVpcAttributes {
  const subnets = value.privateSubnetIds;
  if (!value.vpcId || !Array.isArray(subnets) || subnets.length === 0 || value.availabilityZones?.length !== subnets.length) {
    throw new Error('context clusterVpc: expected {"vpcId", "privateSubnetIds": [...], "availabilityZones": [...]} with one zone per subnet');
  }
  return { vpcId: value.vpcId, privateSubnetIds: subnets, availabilityZones: value.availabilityZones };
}

/** Imports the VPC into `scope` (a construct inside the stack). */
export function importClusterVpc(scope: Construct, attributes: ClusterVpcAttributes): ClusterNetwork {
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'ClusterVpc', attributes);
  return { vpc, subnets: { subnets: vpc.privateSubnets } };
}
