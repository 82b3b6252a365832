import { createServer } from 'node:http';

import { announceReady } from './child-process.ts';

/*
 * The upstream every side calls (`node upstream.ts <body>`): plain HTTP/1.1 on loopback, keep-alive,
 * the same fixed Open Banking accounts body for every request.
 */

const body = Buffer.from(process.argv[2]!);
const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.length) };

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  announceReady(`http://127.0.0.1:${address.port}`);
});
