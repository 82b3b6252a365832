import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'node:querystring';

/*
 * A local stand-in for the few Stripe endpoints billing uses (there is no network in tests):
 * `POST /v1/billing/meter_events`. Like Stripe it wants a bearer secret key, records each event,
 * refuses an identifier it has seen under another request, and answers a repeated
 * `Idempotency-Key` with the first answer, without recording again. It can be told to fail a
 * coming request (500, nothing recorded) or to time out on one (recorded, answered too late).
 */

export interface MeterEvent {
  event_name: string;
  identifier: string;
  timestamp: number;
  payload: Record<string, string>;
}

export interface StripeStandIn {
  url: string;
  apiKey: string;
  /** Every event recorded, in order: what Stripe would bill. */
  events: MeterEvent[];
  /** Every request's Idempotency-Key, retries included. */
  keys: string[];
  /** A new request to come (after those queued before) fails with a 500, recording nothing. */
  failNext(): void;
  /** A new request to come (after those queued before) is recorded but answered after `ms`. */
  stallNext(ms: number): void;
  close(): Promise<void>;
}

export async function startStripeStandIn(): Promise<StripeStandIn> {
  const apiKey = 'sk_test_standin';
  const events: MeterEvent[] = [];
  const keys: string[] = [];
  const answers = new Map<string, { status: number; body: unknown }>();
  // What the next new requests meet, in order (a replayed key meets none of it).
  const queued: Array<{ fail: true } | { stallMs: number }> = [];

  const send = (res: ServerResponse, status: number, body: unknown, idempotencyKey?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${keys.length}`, ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) });
    res.end(JSON.stringify(body));
  };
  const error = (message: string, type = 'invalid_request_error') => ({ error: { type, message } });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.headers.authorization !== `Bearer ${apiKey}`) return send(res, 401, error('Invalid API Key provided'));
    if (req.method !== 'POST' || req.url !== '/v1/billing/meter_events') return send(res, 404, error(`Unrecognized request URL (${req.method}: ${req.url})`));
    const key = String(req.headers['idempotency-key'] ?? '');
    keys.push(key);
    const first = key ? answers.get(key) : undefined;
    if (first) {
      res.setHeader('idempotent-replayed', 'true');
      return send(res, first.status, first.body, key);
    }
    const plan = queued.shift();
    if (plan && 'fail' in plan) return send(res, 500, error('An unknown error occurred', 'api_error'));
    const form = parse(raw);
    const payload: Record<string, string> = {};
    for (const [name, value] of Object.entries(form)) {
      const member = /^payload\[(\w+)\]$/.exec(name);
      if (member) payload[member[1]!] = String(value);
    }
    const event: MeterEvent = { event_name: String(form['event_name']), identifier: String(form['identifier']), timestamp: Number(form['timestamp']), payload };
    let answer: { status: number; body: unknown };
    if (events.some((seen) => seen.identifier === event.identifier)) answer = { status: 400, body: error(`An event already exists with identifier ${event.identifier}`) };
    else {
      events.push(event);
      answer = { status: 200, body: { object: 'billing.meter_event', created: Math.floor(Date.now() / 1000), livemode: false, ...event } };
    }
    if (key) answers.set(key, answer);
    if (plan && 'stallMs' in plan) await new Promise((resolve) => setTimeout(resolve, plan.stallMs));
    if (!res.destroyed) send(res, answer.status, answer.body, key);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((failure: unknown) => send(res, 500, error(String(failure), 'api_error')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`, apiKey, events, keys,
    failNext: () => { queued.push({ fail: true }); },
    stallNext: (ms) => { queued.push({ stallMs: ms }); },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
