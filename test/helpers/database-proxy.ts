import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * How the proxy fails: `refused`, the database is down (nothing listens on the port: connections
 * are refused and open ones reset); `black-hole`, the network drops everything (open connections
 * go silent, new ones are accepted but never answered).
 */
export type OutageKind = 'refused' | 'black-hole';

export interface DatabaseProxy {
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  url: string;
  /** Starts an outage of that kind. */
  cut(kind: OutageKind): Promise<void>;
  /**
   * Ends the outage: new connections are forwarded again. Connections that went silent carry on
   * where they stopped (the network healed) or, with `failover`, stay silent for good (the
   * database came back as another server, and the old one is gone without a word).
   */
  restore(options?: { failover?: boolean }): Promise<void>;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  server: Socket | undefined;
}

/**
 * A TCP proxy in front of the PostgreSQL server a test database lives on, so that a test can take
 * the database away from one app (and give it back) without touching the server, which other tests
 * share. The app's store connects to `url`; nothing else goes through the proxy.
 */
export async function startDatabaseProxy(databaseUrl: string): Promise<DatabaseProxy> {
  const target = new URL(databaseUrl);
  const upstream = { host: target.hostname, port: Number(target.port || 5432) };
  const links = new Set<Link>();
  let outage: OutageKind | undefined;

  function forward(link: Link): void {
    link.server!.pipe(link.client);
    link.client.pipe(link.server!);
  }

  function accept(client: Socket): void {
    const link: Link = { client, server: undefined };
    links.add(link);
    client.on('close', () => {
      links.delete(link);
      link.server?.destroy();
    });
    client.on('error', () => {});
    if (outage === 'black-hole') return;
    link.server = connect(upstream);
    link.server.on('error', () => client.destroy());
    link.server.on('close', () => client.destroy());
    forward(link);
  }

  const server: Server = createServer(accept);
  await listen(server, 0);
  const port = (server.address() as { port: number }).port;
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);

  return {
    url: url.href,
    async cut(kind) {
      outage = kind;
      if (kind === 'refused') {
        // Nothing listens any more (new connections are refused), and open ones are reset.
        const closed = new Promise((resolve) => server.close(resolve));
        for (const link of links) link.client.destroy();
        await closed;
        return;
      }
      // Silent: nothing more is passed either way, but both ends stay open.
      for (const { client, server: db } of links) {
        if (!db) continue;
        db.unpipe(client);
        client.unpipe(db);
      }
    },
    async restore({ failover = false } = {}) {
      const was = outage;
      outage = undefined;
      if (was === 'refused') {
        await listen(server, port);
        return;
      }
      for (const link of links) {
        // Accepted during the outage and never answered: the client gave up on them long ago.
        if (!link.server) link.client.destroy();
        else if (!failover) forward(link);
      }
    },
    async close() {
      const closed = server.listening ? new Promise((resolve) => server.close(resolve)) : undefined;
      for (const link of links) link.client.destroy();
      await closed;
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}
