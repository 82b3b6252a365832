import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { makeBenchClients } from './bench-clients.ts';
import { parseBenchOptions, type BenchOptions } from './bench-options.ts';
import { prepareBenchStore } from './bench-store.ts';
import { checkBinding } from './check-binding.ts';
import { compareServers } from './compare-servers.ts';
import type { ClientTls } from './drive-load.ts';
import { DETAIL_HEADER, formatDetail, formatQueries, formatSummary, type AlgorithmResult } from './print-report.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { errorCount } from './side-totals.ts';

/*
 * Token endpoint benchmark (`npm run bench`): client credentials grants with private_key_jwt and
 * certificate-bound access tokens over mutual TLS with keep-alive, against ours (the product on
 * PostgreSQL, its replay cache there or in Redis) and stock oidc-provider (in-memory adapter),
 * interleaved. See bench/README.md.
 */

async function benchmark(options: BenchOptions): Promise<AlgorithmResult[]> {
  const store = await prepareBenchStore(options.databaseUrl, 'bench_token_endpoint');
  const workDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
  const cpuProfDir = options.cpuProfDir ? resolve(options.cpuProfDir) : undefined;
  const servers: ServerProcess[] = [];
  try {
    const oursArgs = [workDir, store.databaseUrl, ...(options.countQueries ? ['--count-queries'] : []), ...(options.replay === 'redis' ? ['--redis-url', options.redisUrl] : [])];
    const ours = await startServerProcess('ours', './ours-server.ts', oursArgs, cpuProfDir);
    servers.push(ours);
    const certsDir = join(workDir, 'certs');
    // Stock takes ours' issuer string, so that the assertions' audience is the same at both.
    const stock = await startServerProcess('stock', './stock-server.ts', [certsDir, ours.issuer], cpuProfDir);
    servers.push(stock);

    const tls: ClientTls = {
      caPem: readFileSync(join(certsDir, 'dev-ca.pem'), 'utf8'),
      certificatePem: readFileSync(join(certsDir, 'sample-client.pem'), 'utf8'),
      privateKeyPem: readFileSync(join(certsDir, 'sample-client.key'), 'utf8'),
    };
    const clients = await makeBenchClients(options.algorithms, options.concurrency);
    const results: AlgorithmResult[] = [];
    for (const alg of options.algorithms) {
      const list = clients.get(alg)!;
      await Promise.all([ours.register(list.map((client) => client.metadata)), stock.register(list.map((client) => client.metadata))]);
      for (const server of [ours, stock]) await checkBinding(server.name, server.tokenUrl, server.issuer, list[0]!, tls);
      console.log(`# ${alg}: both servers grant certificate-bound tokens and refuse the grant without a certificate; measuring...`);
      results.push(await compareServers(alg, list, { ours, stock }, tls, options));
    }
    return results;
  } finally {
    await Promise.allSettled(servers.map((server) => server.stop()));
    await store.dropSchema();
    rmSync(workDir, { recursive: true, force: true });
    if (cpuProfDir) console.log(`# CPU profiles in ${cpuProfDir} (summarise with: node bench/token-endpoint/summarize-profile.ts FILE)`);
  }
}

function printResults(results: AlgorithmResult[]): boolean {
  console.log(`\n${DETAIL_HEADER}`);
  for (const { alg, ours, stock } of results) {
    console.log(formatDetail(alg, ours));
    console.log(formatDetail(alg, stock));
  }
  console.log(`\n${formatSummary(results)}`);
  const queries = formatQueries(results);
  if (queries) console.log(`\n${queries}\n# --count-queries puts a listener on every query: take grants/s from a run without it`);
  const failed = results.flatMap(({ alg, ours, stock }) => [ours, stock].filter((totals) => errorCount(totals) > 0).map((totals) => ({ alg, totals })));
  for (const { alg, totals } of failed) {
    console.error(`ERROR: ${alg} ${totals.side}: ${JSON.stringify(totals.errors)}; first: ${totals.errorSample}`);
  }
  return failed.length === 0;
}

let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}

const database = new URL(options.databaseUrl);
console.log('# token endpoint: client_credentials, private_key_jwt, tls_client_certificate_bound_access_tokens, mutual TLS, keep-alive');
console.log(`# ${options.concurrency} connections; per server and algorithm ${options.warmup} s warm-up, then ${options.seconds} s measured in ${options.slice} s slices taken in turns`);
const redis = new URL(options.redisUrl);
const replayCache = options.replay === 'redis' ? `Redis ${redis.host}${redis.pathname}` : 'PostgreSQL';
console.log(`# ours: Portcullis on PostgreSQL ${database.host}${database.pathname}, replay cache in ${replayCache}; stock: oidc-provider with its in-memory adapter; each server in its own process`);
console.log(`# CPU columns: % of one core over the measured slices (this machine has ${availableParallelism() * 100}%)`);

// Ctrl-C reaches the servers too (same process group) and they exit; staying alive until the run
// fails on that lets `benchmark` drop its schema on the way out.
process.once('SIGINT', () => console.error('# interrupted: cleaning up'));

try {
  if (!printResults(await benchmark(options))) process.exitCode = 1;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
