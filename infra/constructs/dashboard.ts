/**
 * The dashboard in AWS: web/dist in a private bucket served by CloudFront through Origin Access
 * Control, with `/ui/api/*` passed to the HTTP API so the page and its API share one origin (no
 * CORS). People sign in with OpenID Connect (authorization code + PKCE, in the browser): through a
 * Cognito user pool the stack creates (groups `deployer` and `admin`), or through any issuer named by
 * context (`-c oidcIssuer=… -c oidcAudience=<client id>`), whose tokens' `groups` claim carries them.
 * The HTTP API checks the token (JWT authoriser on `/ui/api`); the api function lets people outside
 * both groups read only (shared/api/http.ts). `/config.json` tells the page where to sign in.
 */
import { Aws, CfnOutput, DefaultStackSynthesizer, Duration, RemovalPolicy, Token, type CfnResource, type Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { JWT_API_PREFIX, WRITER_GROUPS } from '../../shared/api/http.ts';
import { arnReference, justify, type Justification } from '../nag.ts';
import type { GitwaveHttpApi, JwtIssuer } from './gitwave-http-api.ts';

/** An OIDC issuer given as context instead of the Cognito user pool. */
export interface OidcIssuer {
  readonly issuer: string;
  /** The client id the page signs in with, and the audience the API accepts. */
  readonly audience: string;
}

export interface DashboardProps {
  readonly http: GitwaveHttpApi;
  /** web/dist (index.html, app.js, app.css). */
  readonly webDist: string;
  readonly oidc?: OidcIssuer;
}

/** The site's files (web/dist and config.json); any other path is a page of the dashboard. */
const SITE_FILE = /^\/[\w.-]+\.(js|css|json|html|ico|png|svg|map)$/;

/** What the page reads at `/config.json` (web/src/config.ts). */
export interface SiteConfig {
  apiBase: string;
  auth: { issuer: string; clientId: string; authorizeUrl?: string; tokenUrl?: string; scopes: string };
}

export class Dashboard extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  readonly userPool?: cognito.UserPool;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Site', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    justify(this.bucket, { id: 'AwsSolutions-S1', reason: 'holds only the built dashboard, written by the deployment; CloudFront serves it (OAC) and CloudTrail records writes' });
    this.distribution = this.siteDistribution(props.http);
    const url = `https://${this.distribution.distributionDomainName}`;
    const cognitoPool = props.oidc ? undefined : this.cognitoAuth(url);
    this.userPool = cognitoPool?.pool;
    const { jwt, auth } = cognitoPool ?? oidcAuth(props.oidc!);
    props.http.addJwtRoutes(jwt);
    const config: SiteConfig = { apiBase: JWT_API_PREFIX.replace(/\/$/, ''), auth };
    new s3deploy.BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [s3deploy.Source.asset(props.webDist, { exclude: ['.built'] }), s3deploy.Source.jsonData('config.json', config)],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json', '/app.js', '/app.css'],
      memoryLimit: 256,
    });
    new CfnOutput(this, 'Url', { value: url, description: 'The dashboard (sign in with the user pool or your OIDC issuer)' });
  }

  private siteDistribution(http: GitwaveHttpApi): cloudfront.Distribution {
    const api = new origins.HttpOrigin(`${http.httpApi.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
    });
    const distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'gitwave dashboard',
      defaultRootObject: 'index.html',
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        functionAssociations: [{ eventType: cloudfront.FunctionEventType.VIEWER_REQUEST, function: this.deepLinks() }],
      },
      additionalBehaviors: {
        [`${JWT_API_PREFIX}*`]: {
          origin: api,
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
          // Never cached; every viewer header but Host (the bearer token included) reaches API Gateway.
          cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
          originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        },
      },
    });
    justify(distribution,
      { id: 'AwsSolutions-CFR1', reason: 'no geographic restriction: the team signs in from anywhere; every API call needs a valid token' },
      { id: 'AwsSolutions-CFR2', reason: 'no WAF: static files plus an API that refuses any request without a valid JWT; add a web ACL where policy asks for one' },
      { id: 'AwsSolutions-CFR3', reason: 'static files only; API calls are logged by the HTTP API access log' },
      { id: 'AwsSolutions-CFR4', reason: 'the default *.cloudfront.net certificate allows TLSv1 at the edge; TLS 1.2 needs a custom domain and certificate' });
    return distribution;
  }

  /**
   * Deep links (`/apps/orders-dev`) are not files: the page routes them itself, so they get index.html.
   * A function on the site's behaviour only: error pages for the whole distribution would also turn
   * the API's 403 and 404 into index.html.
   */
  private deepLinks(): cloudfront.Function {
    return new cloudfront.Function(this, 'DeepLinks', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'gitwave dashboard: paths that are not files get index.html',
      code: cloudfront.FunctionCode.fromInline(
        `function handler(event) { var r = event.request; if (!${SITE_FILE}.test(r.uri)) { r.uri = '/index.html'; } return r; }`,
      ),
    });
  }

  /** A user pool with the writer groups, a public client for the page (code + PKCE) and a hosted sign-in domain. */
  private cognitoAuth(url: string): { pool: cognito.UserPool; jwt: JwtIssuer; auth: SiteConfig['auth'] } {
    const pool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    justify(pool,
      { id: 'AwsSolutions-COG3', reason: 'threat protection needs the Plus feature plan (charged per user); sign-up is closed and MFA required' },
      { id: 'AwsSolutions-COG8', reason: 'the Essentials plan: sign-up is closed, MFA required; choose Plus where threat protection is wanted' });
    for (const group of Object.values(WRITER_GROUPS)) {
      new cognito.CfnUserPoolGroup(this, `Group-${group}`, { userPoolId: pool.userPoolId, groupName: group, description: `gitwave ${group}s` });
    }
    const client = pool.addClient('Dashboard', {
      generateSecret: false,
      authFlows: {},
      oAuth: { flows: { authorizationCodeGrant: true }, scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE], callbackUrls: [`${url}/`], logoutUrls: [`${url}/`] },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    const domain = pool.addDomain('SignIn', { cognitoDomain: { domainPrefix: `gitwave-${Aws.ACCOUNT_ID}` } });
    const issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${pool.userPoolId}`;
    return {
      pool,
      jwt: { issuer, audience: [client.userPoolClientId] },
      auth: {
        issuer, clientId: client.userPoolClientId, scopes: 'openid email profile',
        authorizeUrl: `${domain.baseUrl()}/oauth2/authorize`, tokenUrl: `${domain.baseUrl()}/oauth2/token`,
      },
    };
  }
}

/** Any OIDC issuer: the page finds its endpoints in `<issuer>/.well-known/openid-configuration`. */
function oidcAuth(oidc: OidcIssuer): { jwt: JwtIssuer; auth: SiteConfig['auth'] } {
  return { jwt: { issuer: oidc.issuer, audience: [oidc.audience] }, auth: { issuer: oidc.issuer, clientId: oidc.audience, scopes: 'openid email profile groups' } };
}

/**
 * The findings on CDK's BucketDeployment function (one per stack, at its root), which copies web/dist
 * from the CDK assets bucket into the site bucket and invalidates the distribution at deploy time.
 */
export function deploymentJustifications(stack: Stack, siteBucket: s3.Bucket): Justification[] {
  const rendered = (value: string) => (Token.isUnresolved(value) ? undefined : value);
  const account = rendered(stack.account) ?? '<AWS::AccountId>';
  const region = rendered(stack.region) ?? '<AWS::Region>';
  const assets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${account}-${region}/*`;
  const bucket = arnReference(siteBucket.node.defaultChild as CfnResource);
  return [
    { id: 'AwsSolutions-IAM4', reason: 'CDK\'s BucketDeployment function logs with AWSLambdaBasicExecutionRole', findings: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'] },
    {
      id: 'AwsSolutions-IAM5',
      reason: 'CDK\'s BucketDeployment function reads its asset from the CDK assets bucket, replaces every object of the site bucket, and invalidates the distribution (CreateInvalidation takes no resource)',
      findings: ['Action::s3:GetObject*', 'Action::s3:GetBucket*', 'Action::s3:List*', 'Action::s3:DeleteObject*', 'Action::s3:Abort*', `Resource::${assets}`, `Resource::${bucket}/*`, 'Resource::*'],
    },
    { id: 'AwsSolutions-L1', reason: 'CDK\'s BucketDeployment function runtime is chosen by aws-cdk-lib' },
  ];
}
