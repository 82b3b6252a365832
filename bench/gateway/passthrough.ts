import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

import { Pool } from 'undici';

import type { LimitPeriod } from '../../src/gateway/limits/limit-window.ts';
import { callCounter, type CallCounter } from './call-counter.ts';
import { announceReady } from './child-process.ts';

/*
 * Baseline (b): the least a Node proxy can do (`node passthrough.ts <certsDir> <upstream> <port> <workers> <stream|request> [<store> <periods>]`).
 * TLS with the gateway's own certificate and key, an undici keep-alive pool to the upstream,
 * hop-by-hop headers dropped, bodies streamed both ways; nothing else. The answer goes through
 * undici's `stream`, as the gateway's do, or with `request` through undici's `request`, its body
 * piped on: about twice the CPU per call, the weaker baseline of figures before 2026-12-07. With
 * several workers they share the port through `cluster`, as the gateway's do.
 *
 * With a store (a Redis URL, or `memory`) and periods (`second,day`), it is side (b'): the same,
 * but each call is first counted once per period, as (d)'s limits count it (see call-counter.ts).
 */

const [certsDir, upstream, port, workers, baseline, countStore, countPeriods] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4]), Number(process.argv[5]), process.argv[6] ?? 'stream', process.argv[7], process.argv[8]];
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function endToEnd(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = value;
  return kept;
}

function serve(counter: CallCounter | undefined): void {
  const pool = new Pool(upstream, { connections: 256, keepAliveTimeout: 120_000 });
  const server = createServer({ cert: readFileSync(join(certsDir, 'server.pem')), key: readFileSync(join(certsDir, 'server.key')) }, async (request, response) => {
    const options = {
      method: request.method as 'GET',
      path: request.url!,
      headers: endToEnd(request.headers),
      body: request.method === 'GET' || request.method === 'HEAD' ? null : request,
    };
    try {
      await counter?.count();
      if (baseline === 'request') {
        const answer = await pool.request(options);
        response.writeHead(answer.statusCode, endToEnd(answer.headers));
        await pipeline(answer.body, response);
        return;
      }
      // undici's API for proxies: the answer's body is written straight into the response.
      await pool.stream(options, ({ statusCode, headers }) => {
        response.writeHead(statusCode, endToEnd(headers as Record<string, string | string[] | undefined>));
        return response;
      });
    } catch {
      if (!response.headersSent) response.writeHead(502);
      response.end();
    }
  });
  server.keepAliveTimeout = 120_000;
  server.listen(port, '127.0.0.1', () => {
    if (cluster.isWorker) process.send!({ type: 'listening' });
    else announceReady(`https://localhost:${port}`);
  });
}

if (workers > 1 && cluster.isPrimary) {
  let listening = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('message', (message: { type: string }) => {
      if (message.type === 'listening' && ++listening === workers) announceReady(`https://localhost:${port}`);
    });
  }
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  serve(countStore && countPeriods ? await callCounter(countStore, countPeriods.split(',') as LimitPeriod[]) : undefined);
}
