// A loopback server for failures no real host produces on demand: `/hang/…` never answers,
// `/status/<code>/…` answers that status, `/big/…` streams a body with no end in sight.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultServer {
  url: string;
  stop(): Promise<void>;
}

export async function startFaultServer(): Promise<FaultServer> {
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path.startsWith('/hang/')) return void open.add(res);
    const status = /^\/status\/(\d{3})\//.exec(path);
    if (status) return void res.writeHead(Number(status[1]), { 'content-type': 'application/json' }).end('{"message":"fault"}');
    if (path.startsWith('/big/')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
