/**
 * The EKS bearer token, made in-process the way `aws eks get-token` makes it (SECURITY.md §5): a
 * presigned STS `GetCallerIdentity` URL whose signed headers include `x-k8s-aws-id: <cluster>`,
 * wrapped as `k8s-aws-v1.` + unpadded base64url. The token is a bearer secret: the `EksToken` object
 * keeps its value in a private field and prints as `[redacted]` through JSON, `util.inspect` and
 * string conversion, so a stray log line cannot leak it.
 */
import { inspect } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** STS keeps a presigned URL valid for 15 minutes from its X-Amz-Date, whatever X-Amz-Expires says. */
export const TOKEN_LIFETIME_MS = 15 * 60_000;
/** A token is replaced when less than this remains (aws-iam-authenticator already expires it at 14). */
export const TOKEN_REFRESH_MARGIN_MS = 2 * 60_000;
export const TOKEN_PREFIX = 'k8s-aws-v1.';
const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

/** A minted token. `value()` is the only way to read the secret; everything else redacts it. */
export class EksToken {
  readonly #value: string;
  readonly issuedAt: Date;
  readonly expiresAt: Date;

  constructor(value: string, issuedAt: Date) {
    this.#value = value;
    this.issuedAt = issuedAt;
    this.expiresAt = new Date(issuedAt.getTime() + TOKEN_LIFETIME_MS);
  }

  /** The bearer token, for the Authorization header only. */
  value(): string {
    return this.#value;
  }

  /** True while more than the refresh margin remains before the 15-minute end. */
  isFresh(now: Date = new Date()): boolean {
    return now.getTime() < this.expiresAt.getTime() - TOKEN_REFRESH_MARGIN_MS;
  }

  toJSON(): string {
    return '[redacted eks token]';
  }

  toString(): string {
    return '[redacted eks token]';
  }

  [inspect.custom](): string {
    return `EksToken { expiresAt: ${this.expiresAt.toISOString()}, value: [redacted] }`;
  }
}

/** The STS host of a region (China partition included). */
function stsHost(region: string): string {
  return region.startsWith('cn-') ? `sts.${region}.amazonaws.com.cn` : `sts.${region}.amazonaws.com`;
}

export interface MintTokenInput {
  clusterName: string;
  region: string;
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** The signing time; defaults to now. Tests fix it. */
  signingDate?: Date;
}

/**
 * Presigns `GET https://sts.<region>.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15` with
 * the cluster name as a signed header and returns the token.
 * @example const token = await mintEksToken({ clusterName: 'prod', region: 'eu-west-1', credentials });
 */
export async function mintEksToken(input: MintTokenInput): Promise<EksToken> {
  const host = stsHost(input.region);
  const signingDate = input.signingDate ?? new Date();
  const signer = new SignatureV4({
    credentials: input.credentials,
    region: input.region,
    service: 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, [CLUSTER_ID_HEADER]: input.clusterName },
    },
    // X-Amz-Expires=60 only satisfies old verifiers that reject anything above 60 (SECURITY.md §5).
    { expiresIn: 60, signingDate },
  );
  const url = new URL(`https://${host}/`);
  for (const [name, value] of Object.entries(presigned.query ?? {})) {
    url.searchParams.set(name, String(value));
  }
  const encoded = Buffer.from(url.toString(), 'utf8').toString('base64url');
  // The signing date has second precision in X-Amz-Date; the token's life counts from there.
  return new EksToken(TOKEN_PREFIX + encoded, new Date(Math.floor(signingDate.getTime() / 1000) * 1000));
}

/** Source of a cluster's token: reuses one until it is no longer fresh; `refresh()` forces a new one. */
export class EksTokenSource {
  #current: EksToken | undefined;
  #pending: Promise<EksToken> | undefined;

  constructor(
    private readonly input: Omit<MintTokenInput, 'signingDate'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** A token with more than two minutes left, minted when needed. Concurrent callers share one mint. */
  async token(): Promise<EksToken> {
    if (this.#current?.isFresh(this.now())) return this.#current;
    return this.#mint();
  }

  /** Mints a new token now (after a 401). */
  async refresh(): Promise<EksToken> {
    return this.#mint();
  }

  #mint(): Promise<EksToken> {
    this.#pending ??= mintEksToken({ ...this.input, signingDate: this.now() })
      .then((token) => {
        this.#current = token;
        return token;
      })
      .finally(() => {
        this.#pending = undefined;
      });
    return this.#pending;
  }

  toJSON(): string {
    return `[eks token source for ${this.input.clusterName}]`;
  }
}
