import { createServer } from 'node:https';

import { DemoFailed } from './demo-failure.ts';
import { DEMO_IDENTITY } from './demo-identity.ts';
import { readDevPkiFile } from './partner-http.ts';

/**
 * The demo partner's web front: an HTTPS server with the customer's way in and the redirect URI.
 * `/start` pushes a fresh authorization request and sends the browser on to the bank, as a real
 * partner's "Connect your bank" button does (a pushed request lives 60 seconds, so it is made when
 * the customer is there, not when the terminal prints a link). The redirect URI waits for the
 * browser to come back with the authorization response, shows a page saying so, and hands the full
 * callback URL (`code` or `error`, `state`, `iss`) to the partner. It serves with the dev server
 * certificate, so the browser shows the same dev-CA warning as on the bank's pages, and binds to
 * the redirect URI's host (loopback) only. It stops after the first callback or at the deadline.
 */

const PAGE = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>${DEMO_IDENTITY.clientName}</title>
<h1>Back at ${DEMO_IDENTITY.clientName}</h1>
<p>You can close this tab. The result is in the terminal.</p>
`;

export interface CallbackWait {
  /** The registered redirect URI, `https://localhost:<port>/callback`. */
  redirectUri: string;
  /** Holds `server.pem` and `server.key`. */
  certsDir: string;
  timeoutMs: number;
  /** Pushes an authorization request and resolves to the bank URL to send the customer to. */
  start(): Promise<URL>;
  /** Called once the server listens with the URL the customer opens, so that they are sent only where someone waits. */
  onListening(startUrl: URL): void;
}

/** The path of the customer's way in, next to the redirect URI. */
const START_PATH = '/start';

/** Listens on the redirect URI until the customer comes back; resolves with the callback URL. */
export async function waitForCallback(wait: CallbackWait): Promise<URL> {
  const redirect = new URL(wait.redirectUri);
  const [cert, key] = await Promise.all([readDevPkiFile(wait.certsDir, 'server.pem'), readDevPkiFile(wait.certsDir, 'server.key')]);
  return new Promise((resolve, reject) => {
    const server = createServer({ cert, key }, (req, res) => {
      const url = new URL(req.url ?? '/', redirect.origin);
      if (req.method === 'GET' && url.pathname === START_PATH) {
        wait.start().then(
          (bank) => res.writeHead(303, { location: bank.href, 'cache-control': 'no-store' }).end(),
          (error: unknown) => {
            res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' }).end('The bank refused the authorization request; see the terminal.\n');
            stop();
            reject(error);
          },
        );
        return;
      }
      if (req.method !== 'GET' || url.pathname !== redirect.pathname) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'",
        // The URL carries the authorization code: nothing on the page may learn it.
        'referrer-policy': 'no-referrer',
      });
      res.end(PAGE, () => stop());
      resolve(url);
    });
    const timer = setTimeout(() => {
      stop();
      reject(new DemoFailed(`nobody came back to ${wait.redirectUri} within ${wait.timeoutMs / 60_000} minutes; run the command again for a new consent`));
    }, wait.timeoutMs);
    function stop() {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    }
    server.once('error', (error) => {
      stop();
      reject(new DemoFailed(`cannot listen on ${redirect.host} for the redirect URI: ${error.message}`));
    });
    server.listen(Number(redirect.port || 443), redirect.hostname, () => wait.onListening(new URL(START_PATH, redirect.origin)));
  });
}
