import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BenchChild } from './child-process.ts';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';

/** Whether Debian's nginx (or `NGINX_PATH`) is there to run baseline (c). */
export function nginxInstalled(): boolean {
  try {
    accessSync(NGINX, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function configuration(dir: string, certsDir: string, upstream: URL, port: number, workers: number): string {
  return `daemon off;
worker_processes ${workers};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log ${dir}/access.log combined buffer=64k;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream bench_upstream {
    server ${upstream.host};
    keepalive 256;
  }
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certsDir}/server.pem;
    ssl_certificate_key ${certsDir}/server.key;
    keepalive_requests 1000000;
    keepalive_timeout 120s;
    location / {
      proxy_pass http://bench_upstream;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/**
 * Baseline (c): nginx `proxy_pass` in front of the same upstream, with the gateway's certificate,
 * keep-alive both ways and an access log (buffered, as a production nginx writes it), in a
 * prefix folder of its own so that it touches nothing of the system's nginx.
 */
export async function startNginx(certsDir: string, upstreamUrl: string, port: number, workers: number): Promise<BenchChild> {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-nginx-'));
  writeFileSync(join(dir, 'nginx.conf'), configuration(dir, certsDir, new URL(upstreamUrl), port, workers));
  const child = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  for (let attempt = 0; attempt < 100 && !(await listening(port)); attempt++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!(await listening(port))) {
    child.kill('SIGQUIT');
    const log = readFileSync(join(dir, 'error.log'), 'utf8');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`nginx did not start: ${log}`);
  }
  return {
    url: `https://localhost:${port}`,
    pid: child.pid!,
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
