import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface UpstreamServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A plain HTTP service behind the gateway, as a test's upstream: it records every request and
 * answers with `handle` (by default, JSON naming what it was asked).
 */
export async function startUpstreamServer(handle?: (request: SeenRequest, res: ServerResponse) => void): Promise<UpstreamServer> {
  const seen: SeenRequest[] = [];
  const server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    seen.push(request);
    if (handle) return handle(request, res);
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ method: request.method, url: request.url }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
