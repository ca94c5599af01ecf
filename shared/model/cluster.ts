/**
 * A registered cluster: where Applications are deployed and how gitwave reaches it. On AWS that is an
 * EKS cluster (name, region, and the deployer role the apply λ assumes); locally a kubeconfig context
 * (the simulator or a real cluster). Labels select clusters; `env=dev` marks the clusters where
 * one-off manual overrides (the Git-independent deploy, SECURITY.md §1) are allowed.
 *
 * Written as gitwave's own document kind:
 *   apiVersion: gitwave.dev/v1alpha1
 *   kind: Cluster
 *   metadata: { name: dev, labels: { env: dev } }
 *   spec: { server: https://….eks.amazonaws.com, eks: { clusterName: dev, region: eu-west-1, roleArn: arn:aws:iam::…:role/gitwave-deployer-dev } }
 */
import * as z from 'zod';
import { isRecord } from './object.ts';
import { ModelError } from './model-error.ts';
import { addIssue, nonEmpty, objectLabel, objectName, stringMap, toModelIssues } from './schema-kit.ts';
import { parseSingleDocument, parseYamlDocuments, type SourceDocument } from './yaml-doc.ts';

export const CLUSTER_API_VERSION = 'gitwave.dev/v1alpha1';

export interface Cluster {
  name: string;
  /** API server URL, matched against `destination.server`; filled from EKS or the kubeconfig when absent. */
  server?: string;
  labels: Record<string, string>;
  connection: EksConnection | KubeconfigConnection;
  /** Syncs its one writer runs at once (`spec.concurrency`, 1 to 100); absent = 10. */
  concurrency?: number;
}

export interface EksConnection {
  type: 'eks';
  clusterName: string;
  region: string;
  /** Deployer role assumed for writes (`gitwave-deployer-<cluster>`); absent = the function's own role. */
  roleArn?: string;
  /** Read-only role for the drift sweep; absent = roleArn. */
  readOnlyRoleArn?: string;
}

export interface KubeconfigConnection {
  type: 'kubeconfig';
  context: string;
  /** Kubeconfig file; absent = the usual lookup (KUBECONFIG, ~/.kube/config). */
  path?: string;
}

const ROLE_ARN = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/, 'must be an IAM role ARN');

const clusterSchema = z.strictObject({
  apiVersion: z.literal(CLUSTER_API_VERSION),
  kind: z.literal('Cluster'),
  metadata: z.strictObject({ name: objectName, labels: stringMap.default({}), annotations: stringMap.default({}) }),
  spec: z.strictObject({
    server: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    concurrency: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').optional(),
    eks: z.strictObject({
      clusterName: z.string().regex(/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/, 'must be an EKS cluster name'),
      region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region such as eu-west-1'),
      roleArn: ROLE_ARN.optional(),
      readOnlyRoleArn: ROLE_ARN.optional(),
    }).optional(),
    kubeconfig: z.strictObject({ context: nonEmpty, path: nonEmpty.optional() }).optional(),
  }).superRefine((spec, ctx) => {
    if (spec.eks && spec.kubeconfig) addIssue(ctx, [], 'set eks or kubeconfig, not both');
    if (!spec.eks && !spec.kubeconfig) addIssue(ctx, [], 'one of eks and kubeconfig is required');
  }),
});

/**
 * The one Cluster in a YAML file.
 * @throws ModelError naming file, `Cluster/<name>` and the field path.
 */
export function parseCluster(text: string, file: string): Cluster {
  return parseSingleDocument(text, file, 'Cluster', parseClusterObject);
}

/** Every document of a multi-document YAML file, each a Cluster. */
export function parseClusters(text: string, file: string): Cluster[] {
  return parseYamlDocuments(text, file).map((doc) => parseClusterObject(doc.value, file, doc));
}

/** A Cluster from already-decoded data; `doc` adds line numbers to the messages. */
export function parseClusterObject(value: unknown, file: string, doc?: SourceDocument): Cluster {
  const object = objectLabel(value, 'Cluster');
  if (!isRecord(value)) throw new ModelError(file, object, [{ field: '', message: 'expected a mapping' }]);
  const result = clusterSchema.safeParse(value, { reportInput: true });
  if (!result.success) throw new ModelError(file, object, toModelIssues(result.error.issues, doc));
  const { metadata, spec } = result.data;
  const connection: Cluster['connection'] = spec.eks ? { type: 'eks', ...spec.eks } : { type: 'kubeconfig', ...spec.kubeconfig! };
  return {
    name: metadata.name, ...(spec.server ? { server: spec.server } : {}), labels: metadata.labels, connection,
    ...(spec.concurrency !== undefined ? { concurrency: spec.concurrency } : {}),
  };
}

/**
 * Whether an Application destination points at this cluster: by name, or by server URL
 * (compared without a trailing `/`).
 */
export function clusterMatchesDestination(cluster: Cluster, destination: { server?: string; name?: string }): boolean {
  if (destination.name !== undefined) return destination.name === cluster.name;
  const trim = (url: string) => url.replace(/\/+$/, '');
  return destination.server !== undefined && cluster.server !== undefined && trim(destination.server) === trim(cluster.server);
}

/** The registered cluster an Application destination names, if any. */
export function findDestinationCluster(clusters: readonly Cluster[], destination: { server?: string; name?: string }): Cluster | undefined {
  return clusters.find((cluster) => clusterMatchesDestination(cluster, destination));
}

/** One-off overrides (image tag, parameters) are allowed only on clusters labelled `env=dev`. */
export function allowsOverrides(cluster: Cluster): boolean {
  return cluster.labels.env === 'dev';
}
