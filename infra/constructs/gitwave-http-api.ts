/**
 * The HTTP API: `POST /webhooks/github` to the webhook function (no AWS authorisation: GitHub proves
 * itself with the HMAC signature the function checks), `/api/{proxy+}` to the api function,
 * IAM-authorised (the CLI signs with SigV4), and `/ui/api/{proxy+}` to the same function under a JWT
 * authoriser (the dashboard's people; added by `addJwtRoutes` once the issuer is known). Access logs and route-level metrics are on; the routes
 * come from shared/config/resources.ts, like the local gateway's.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
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

/** Who signs the dashboard's tokens: the issuer URL and the audiences (client ids) accepted. */
export interface JwtIssuer {
  readonly issuer: string;
  readonly audience: string[];
}

export class GitwaveHttpApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  private readonly targets: Record<'webhook' | 'api', GitwaveFunction>;

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
    this.targets = { webhook: props.webhook, api: props.api };
    for (const route of HTTP_ROUTES) {
      if (route.authorization === 'jwt') continue;
      const routes = this.addRoute(route, route.authorization === 'iam' ? new HttpIamAuthorizer() : undefined);
      if (route.authorization === 'none') {
        justify(routes[0], {
          id: 'AwsSolutions-APIG4',
          reason: 'GitHub cannot sign with SigV4; the webhook function verifies X-Hub-Signature-256 (HMAC) before anything else',
        });
      }
    }
  }

  /** The JWT-authorised routes (`/ui/api/{proxy+}`), accepting tokens of `jwt.issuer` for `jwt.audience`. */
  addJwtRoutes(jwt: JwtIssuer): void {
    const authorizer = new HttpJwtAuthorizer('DashboardJwt', jwt.issuer, { jwtAudience: jwt.audience });
    for (const route of HTTP_ROUTES) if (route.authorization === 'jwt') this.addRoute(route, authorizer);
  }

  private addRoute(route: (typeof HTTP_ROUTES)[number], authorizer: apigw.IHttpRouteAuthorizer | undefined): apigw.HttpRoute[] {
    const fn = this.targets[route.function];
    return this.httpApi.addRoutes({
      path: route.path,
      methods: [apigw.HttpMethod[route.method]],
      integration: new HttpLambdaIntegration(`${fn.key}Integration${route.authorization === 'jwt' ? 'Jwt' : ''}`, fn.function),
      authorizer,
    });
  }

  /** The URL GitHub posts deliveries to. */
  get webhookUrl(): string {
    return `${this.httpApi.apiEndpoint}/webhooks/github`;
  }
}
