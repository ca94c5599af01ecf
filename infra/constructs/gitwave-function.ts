/**
 * One gitwave Lambda function with everything it owns: its own role (nothing but its log group and
 * tracing until a resource construct grants more), its own log group, and exactly the environment
 * variables `shared/lambda/functions.ts` lists for it. Code is bundled with the local esbuild
 * (no Docker); tests may ask for inline stub code instead, so that synthesis stays fast.
 */
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV, type EnvName } from '../../shared/config/env.ts';
import { FUNCTION_ENV, FUNCTION_SETTINGS, functionEntry, type FunctionKey } from '../../shared/lambda/functions.ts';
import { justify, XRAY_WILDCARD } from '../nag.ts';
import { PROJECT_ROOT } from '../paths.ts';

/** `esbuild`: the real bundle (synth, deploy); `inline`: a stub, for fast template tests. */
export type CodeMode = 'esbuild' | 'inline';

/** Where functions that reach clusters run, when the clusters' endpoints are private. */
export interface ClusterNetwork {
  readonly vpc: ec2.IVpc;
  /** Default: the VPC's private subnets with egress (DynamoDB, S3, STS and EKS must be reachable). */
  readonly subnets?: ec2.SubnetSelection;
}

/** What every function of the stack shares: how code is built and the values of the variables. */
export interface FunctionDefaults {
  readonly codeMode: CodeMode;
  readonly environment: Partial<Record<EnvName, string>>;
  /** Applied only to the functions that reach clusters. */
  readonly clusterNetwork?: ClusterNetwork;
}

/** `environment` holds values for any variables: the function takes the ones it lists, each of which must be there. */
export interface GitwaveFunctionProps extends FunctionDefaults {
  /** Which function: entry `functions/<key>.ts`, settings and variables from shared/lambda/functions.ts. */
  readonly key: FunctionKey;
  readonly description: string;
  readonly layers?: lambda.ILayerVersion[];
  /** Default ARM_64; the render function is X86_64 because AWS's kubectl/helm layer is. */
  readonly architecture?: lambda.Architecture;
  /** Runs in `clusterNetwork`, when one is given (functions that reach private cluster endpoints). */
  readonly reachesClusters?: boolean;
  /** Scratch space for checkouts and renders. */
  readonly ephemeralStorage?: Size;
}

export class GitwaveFunction extends Construct {
  readonly function: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  readonly key: FunctionKey;

  constructor(scope: Construct, id: string, props: GitwaveFunctionProps) {
    super(scope, id);
    this.key = props.key;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `gitwave ${props.key} function: ${props.description}`,
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [this.logGroup.logGroupArn],
    }));
    this.function = this.createFunction(props);
    // Lets the local runtime (infra/local-definition.ts) tell which template resource is which function.
    (this.function.node.defaultChild as lambda.CfnFunction).addMetadata('gitwave:function', props.key);
    justify(this.role, XRAY_WILDCARD);
    justify(this.function, NODE_22);
    if (this.function.isBoundToVpc) justify(this.role, VPC_MANAGED_POLICY);
  }

  /** Adds a statement to this function's own role. */
  grant(...statements: iam.PolicyStatement[]): void {
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
  }

  private createFunction(props: GitwaveFunctionProps): lambda.Function {
    const settings = FUNCTION_SETTINGS[props.key];
    const network = props.reachesClusters ? props.clusterNetwork : undefined;
    const common: lambda.FunctionOptions = {
      description: `gitwave ${props.key}: ${props.description}`,
      architecture: props.architecture ?? lambda.Architecture.ARM_64,
      timeout: Duration.seconds(settings.timeoutSeconds),
      memorySize: settings.memoryMiB,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: environmentFor(props.key, props.environment),
      layers: props.layers,
      vpc: network?.vpc,
      vpcSubnets: network ? network.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } : undefined,
      ephemeralStorageSize: props.ephemeralStorage,
    };
    if (props.codeMode === 'inline') {
      return new lambda.Function(this, 'Function', {
        ...common,
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => { throw new Error("inline test stub"); };'),
      });
    }
    return new NodejsFunction(this, 'Function', {
      ...common,
      runtime: lambda.Runtime.NODEJS_22_X,
      entry: `${PROJECT_ROOT}/${functionEntry(props.key)}`,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}/package-lock.json`,
      bundling: BUNDLING,
    });
  }
}

/**
 * Local esbuild, ES modules for Node 22. The AWS SDK is bundled, not taken from the runtime, so the
 * version the tests ran is the one deployed. `zod` resolves to shared/lambda/bundling/zod.ts (zod
 * without its translated messages), `pako` to shared/lambda/bundling/pako.ts (node:zlib).
 * shared/package.json declares shared/ free of import side effects, so a barrel import
 * (shared/source/index.ts) brings only what is used, not tar or isomorphic-git.
 * test/infra/bundles.test.ts holds each bundle to 1 MB; `scripts/bundle-sizes.ts` says what fills one.
 */
export const BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node22',
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  externalModules: [],
  bundleAwsSDK: true,
  esbuildArgs: { '--alias': ['zod=./shared/lambda/bundling/zod.ts', '@aws-sdk/credential-provider-node=./shared/lambda/bundling/credentials.ts', 'pako=./shared/lambda/bundling/pako.ts'] },
  // CommonJS dependencies bundled into an ES module still call `require`.
  banner: "import { createRequire as gitwaveCreateRequire } from 'node:module'; const require = gitwaveCreateRequire(import.meta.url);",
};

/** The function's own variables plus Powertools' settings; fails synthesis if one is missing. */
function environmentFor(key: FunctionKey, values: Partial<Record<EnvName, string>>): Record<string, string> {
  const env: Record<string, string> = {
    [ENV.POWERTOOLS_SERVICE_NAME]: `gitwave-${key}`,
    [ENV.POWERTOOLS_METRICS_NAMESPACE]: 'gitwave',
    [ENV.POWERTOOLS_LOG_LEVEL]: 'INFO',
  };
  for (const name of FUNCTION_ENV[key]) {
    const value = values[name];
    if (value === undefined) throw new Error(`function ${key}: no value given for environment variable ${name}`);
    env[name] = value;
  }
  return env;
}

const NODE_22 = {
  id: 'AwsSolutions-L1',
  reason: 'gitwave targets Node 22 (nodejs22.x), the version its local runtime and tests run on (DESIGN.md)',
};

const VPC_MANAGED_POLICY = {
  id: 'AwsSolutions-IAM4',
  reason: 'AWSLambdaVPCAccessExecutionRole only manages the network interfaces Lambda needs to run in the VPC',
  findings: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole'],
};
