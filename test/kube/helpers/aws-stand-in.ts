/**
 * A tiny local stand-in for the two AWS APIs behind an EKS connection, which have no local server:
 * STS `AssumeRole` (AWS query protocol, XML answer) and EKS `DescribeCluster` (REST-JSON,
 * `GET /clusters/<name>`). It records each call with the access key that signed it, so tests can
 * check that the EKS call used the assumed role's credentials. Listens on 127.0.0.1, port 0.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInCall {
  service: 'sts' | 'eks';
  action: string;
  params: Record<string, string>;
  /** The access key id of the SigV4 Authorization header. */
  signedBy: string;
}

export interface StandInCluster {
  endpoint: string;
  caData: string;
}

export interface AwsStandIn {
  url: string;
  calls: StandInCall[];
  clusters: Map<string, StandInCluster>;
  /** Answer AssumeRole with AccessDenied. */
  denyAssumeRole: boolean;
  stop(): Promise<void>;
}

export const ASSUMED_KEY_ID = 'ASIASTANDINASSUMED01';

export async function startAwsStandIn(): Promise<AwsStandIn> {
  const standIn: Omit<AwsStandIn, 'url' | 'stop'> = { calls: [], clusters: new Map(), denyAssumeRole: false };
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const signedBy = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const cluster = /^\/clusters\/([^/?]+)/.exec(req.url ?? '');
      if (req.method === 'GET' && cluster) {
        const name = decodeURIComponent(cluster[1]);
        standIn.calls.push({ service: 'eks', action: 'DescribeCluster', params: { name }, signedBy });
        const found = standIn.clusters.get(name);
        if (!found) return send(res, 404, 'application/json', JSON.stringify({ message: `No cluster found for name: ${name}.` }), 'ResourceNotFoundException');
        const out = { cluster: { name, arn: `arn:aws:eks:eu-west-1:111122223333:cluster/${name}`, status: 'ACTIVE', endpoint: found.endpoint, certificateAuthority: { data: found.caData } } };
        return send(res, 200, 'application/json', JSON.stringify(out));
      }
      const params = Object.fromEntries(new URLSearchParams(body));
      standIn.calls.push({ service: 'sts', action: params.Action ?? '', params, signedBy });
      if (params.Action !== 'AssumeRole') return send(res, 400, 'text/xml', stsError('InvalidAction', 'unsupported'));
      if (standIn.denyAssumeRole) return send(res, 403, 'text/xml', stsError('AccessDenied', 'not authorized to perform sts:AssumeRole'));
      return send(res, 200, 'text/xml', assumeRoleXml(params.RoleArn ?? '', params.RoleSessionName ?? ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(standIn, {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res: import('node:http').ServerResponse, status: number, type: string, body: string, errorType?: string): void {
  res.writeHead(status, { 'content-type': type, 'x-amzn-requestid': 'stand-in', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
  res.end(body);
}

function assumeRoleXml(roleArn: string, session: string): string {
  const role = roleArn.split('/').pop();
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>${ASSUMED_KEY_ID}</AccessKeyId><SecretAccessKey>assumedSecretKeyStandIn</SecretAccessKey>
<SessionToken>assumedSessionTokenStandIn</SessionToken><Expiration>${expiration}</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROASTANDIN:${session}</AssumedRoleId><Arn>arn:aws:sts::111122223333:assumed-role/${role}/${session}</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>stand-in</RequestId></ResponseMetadata></AssumeRoleResponse>`;
}

function stsError(code: string, message: string): string {
  return `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>stand-in</RequestId></ErrorResponse>`;
}
