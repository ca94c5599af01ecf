/**
 * The two secrets gitwave reads: the GitHub webhook secret (HMAC key) and Git tokens (read-only
 * contents access). Functions get their ARNs, never their values, and read them at run time.
 */
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { justify } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';

export class GitwaveSecrets extends Construct {
  readonly webhookSecret: secretsmanager.Secret;
  readonly gitTokens: secretsmanager.Secret;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.webhookSecret = new secretsmanager.Secret(this, 'WebhookSecret', {
      description: 'gitwave: the secret GitHub signs webhook deliveries with (X-Hub-Signature-256)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    this.gitTokens = new secretsmanager.Secret(this, 'GitTokens', {
      description: 'gitwave: Git tokens with read-only contents access, as JSON keyed by repository host or owner',
      secretObjectValue: {},
    });
    justify(this, {
      id: 'AwsSolutions-SMG4',
      reason: 'both values live in GitHub too (webhook settings, token issuer); a Lambda cannot rotate them there, so they are rotated by hand',
    });
  }

  grantReadWebhookSecret(fn: GitwaveFunction): void {
    this.webhookSecret.grantRead(fn.role);
  }

  grantReadGitTokens(fn: GitwaveFunction): void {
    this.gitTokens.grantRead(fn.role);
  }
}
