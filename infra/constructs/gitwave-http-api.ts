/**
 * The HTTP API: `POST /webhooks/github` to the webhook function (no AWS authorisation: GitHub proves
 * itself with the HMAC signature the function checks), and `/api/{proxy+}` to the api function,
 * IAM-authorised (the CLI signs with SigV4). Access logs and route-level metrics are on; the routes
 * come from shared/config/resources.ts, like the local gateway's.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HTTP_ROUTES } from '../../shared/config/resources.ts';
import { justify } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';

export interface GitwaveHttpApiProps {
  readonly webhook: GitwaveFunction;
  readonly api: GitwaveFunction;
  /** Steady-state requests per second across the API. */
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

export class GitwaveHttpApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;

  constructor(scope: Construct, id: string, props: GitwaveHttpApiProps) {
    super(scope, id);
    this.httpApi = new apigw.HttpApi(this, 'Api', { description: 'gitwave: GitHub webhooks and the gitwave API', createDefaultStage: false });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: RemovalPolicy.DESTROY });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      detailedMetricsEnabled: true,
      throttle: { rateLimit: props.rateLimit ?? 50, burstLimit: props.burstLimit ?? 100 },
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
    });
    const targets = { webhook: props.webhook, api: props.api };
    for (const route of HTTP_ROUTES) {
      const fn = targets[route.function];
      const routes = this.httpApi.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${fn.key}Integration`, fn.function),
        authorizer: route.authorization === 'iam' ? new HttpIamAuthorizer() : undefined,
      });
      if (route.authorization === 'none') {
        justify(routes[0], {
          id: 'AwsSolutions-APIG4',
          reason: 'GitHub cannot sign with SigV4; the webhook function verifies X-Hub-Signature-256 (HMAC) before anything else',
        });
      }
    }
  }

  /** The URL GitHub posts deliveries to. */
  get webhookUrl(): string {
    return `${this.httpApi.apiEndpoint}/webhooks/github`;
  }
}
