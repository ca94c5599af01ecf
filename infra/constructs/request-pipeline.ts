/**
 * From a queued request to a started sync: the render function (consumes the FIFO queue, carries
 * AWS's kubectl v1.32 + helm v3.17 layer, so x86_64, handles untrusted repository content and so
 * holds no cluster credentials)
 * and the plan function (diffs against the cluster, writes the plan, starts the state machine). A
 * second optional layer carries the Kubernetes OpenAPI documents for strict schema validation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Size } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KubectlV32Layer } from '@aws-cdk/lambda-layer-kubectl-v32';
import { Construct } from 'constructs';
import { ENV } from '../../shared/config/env.ts';
import { BUCKET_PREFIXES, KEY_PREFIXES } from '../../shared/config/resources.ts';
import type { ClusterAccess } from './cluster-access.ts';
import type { CoreResources } from './core-resources.ts';
import { GitwaveFunction } from './gitwave-function.ts';
import type { GitwaveSecrets } from './gitwave-secrets.ts';
import type { RequestQueue } from './request-queue.ts';
import type { SyncStateMachine } from './sync-state-machine.ts';

export interface RequestPipelineProps extends CoreResources {
  readonly queue: RequestQueue;
  readonly secrets: GitwaveSecrets;
  readonly clusters: ClusterAccess;
  readonly sync: SyncStateMachine;
  /** Optional override: a directory holding `bin/kustomize` (linux x86_64), used instead of the layer's `kubectl kustomize`. */
  readonly kustomizeLayerPath?: string;
  /** A directory holding `schemas/` (`gitwave schemas pull --out <dir>/schemas`), packaged as another layer. */
  readonly schemasLayerPath?: string;
}

/** Where the override layer puts the binary in the function's file system. */
export const KUSTOMIZE_LAYER_BINARY = '/opt/bin/kustomize';
/** Where AWS's kubectl layer (KubectlV32Layer) puts kubectl; helm is at /opt/helm/helm (shared/render/helm-binary.ts). */
export const KUBECTL_LAYER_BINARY = '/opt/kubectl/kubectl';
/** The render function's architecture: the kubectl layer's binaries are linux x86_64. */
export const RENDER_ARCHITECTURE = lambda.Architecture.X86_64;
/** Where the schemas layer puts the OpenAPI documents (GITWAVE_SCHEMAS of the render function). */
export const SCHEMAS_LAYER_DIR = '/opt/schemas';

export class RequestPipeline extends Construct {
  readonly render: GitwaveFunction;
  readonly plan: GitwaveFunction;

  constructor(scope: Construct, id: string, props: RequestPipelineProps) {
    super(scope, id);
    const { defaults, table, bucket } = props;
    this.plan = new GitwaveFunction(this, 'Plan', {
      ...defaults,
      environment: { ...defaults.environment, [ENV.WRITER_STATE_MACHINE_ARN]: props.sync.writer.stateMachineArn },
      key: 'plan', description: 'plans a sync and starts it', reachesClusters: true,
    });
    table.grantReadWriteItems(this.plan);
    bucket.grantReadUnder(this.plan, BUCKET_PREFIXES.rendered);
    bucket.grantReadUnder(this.plan, BUCKET_PREFIXES.plans);
    bucket.grantPutUnder(this.plan, BUCKET_PREFIXES.plans);
    props.clusters.grantDeploy(this.plan);
    props.sync.grantStart(this.plan);

    const schemas = this.schemasLayer(props.schemasLayerPath);
    this.render = new GitwaveFunction(this, 'Render', {
      ...defaults,
      environment: {
        ...defaults.environment, [ENV.PLAN_FUNCTION_NAME]: this.plan.function.functionName, [ENV.KUSTOMIZE_PATH]: props.kustomizeLayerPath ? KUSTOMIZE_LAYER_BINARY : KUBECTL_LAYER_BINARY,
        [ENV.GITWAVE_SCHEMAS]: schemas ? SCHEMAS_LAYER_DIR : '',
      },
      key: 'render', description: 'renders an Application at a commit', ephemeralStorage: Size.gibibytes(2), architecture: RENDER_ARCHITECTURE,
      layers: [new KubectlV32Layer(this, 'KubectlHelm'), ...this.kustomizeLayer(props.kustomizeLayerPath), ...(schemas ? [schemas] : [])],
    });
    table.grantReadItems(this.render);
    // A refused render is recorded as status: one transaction that checks the cluster's lock item
    // and updates APP#<app>/STATUS, never the lock itself (shared/store writeUnlocked).
    table.grantItemsUnder(this.render, KEY_PREFIXES.app, ['dynamodb:UpdateItem']);
    table.grantItemsUnder(this.render, KEY_PREFIXES.cluster, ['dynamodb:ConditionCheckItem']);
    bucket.grantReadUnder(this.render, BUCKET_PREFIXES.rendered);
    bucket.grantPutUnder(this.render, BUCKET_PREFIXES.rendered);
    props.secrets.grantReadGitTokens(this.render);
    this.render.grant(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.plan.function.functionArn] }));
    props.queue.addConsumer(this.render);
  }

  private kustomizeLayer(path: string | undefined): lambda.ILayerVersion[] {
    // Without an override the layer's `kubectl kustomize` renders.
    if (!path) return [];
    if (!existsSync(join(path, 'bin', 'kustomize'))) {
      throw new Error(`kustomizeLayerPath ${path}: no bin/kustomize in it (the layer is mounted at /opt)`);
    }
    return [this.layer('Kustomize', path, 'kustomize binary for the gitwave render function')];
  }

  /** The cluster's OpenAPI documents (never hand-written, never in the repository), mounted at /opt/schemas. */
  private schemasLayer(path: string | undefined): lambda.ILayerVersion | undefined {
    if (!path) {
      Annotations.of(this).addWarningV2('gitwave:no-schemas-layer',
        'the render function has no schema documents, so strict schema validation is off; deploy with -c schemasLayerPath=<dir> after gitwave schemas pull --out <dir>/schemas');
      return undefined;
    }
    if (!existsSync(join(path, 'schemas', 'api', 'v1.json.gz'))) {
      throw new Error(`schemasLayerPath ${path}: no schemas/api/v1.json.gz in it (gitwave schemas pull --out ${join(path, 'schemas')}; the layer is mounted at /opt)`);
    }
    return this.layer('Schemas', path, 'Kubernetes OpenAPI v3 documents for gitwave strict schema validation');
  }

  private layer(id: string, path: string, description: string): lambda.ILayerVersion {
    return new lambda.LayerVersion(this, id, {
      code: lambda.Code.fromAsset(path),
      compatibleArchitectures: [RENDER_ARCHITECTURE],
      compatibleRuntimes: [lambda.Runtime.NODEJS_22_X],
      description,
    });
  }
}
