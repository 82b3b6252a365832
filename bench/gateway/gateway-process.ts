import { spawn } from 'node:child_process';

import { Agent, request } from 'undici';

import type { BenchChild } from './child-process.ts';

const MAIN = new URL('../../src/main.ts', import.meta.url);
const ALLOC_SAMPLER = new URL('./alloc-sampler.ts', import.meta.url);

/**
 * With `cpuProfDir`, every process of the gateway (the primary and each worker, through
 * NODE_OPTIONS) writes a V8 CPU profile there when it stops: `gateway-<workers>w-<pid>.cpuprofile`,
 * covering its start-up and both gateway sides, (d) and (e).
 */
function profiling(workers: number, cpuProfDir: string | undefined): string[] {
  // NODE_OPTIONS splits on spaces outside double quotes.
  return cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir="${cpuProfDir}"`, `--cpu-prof-name=gateway-${workers}w-\${pid}.cpuprofile`] : [];
}

/** With `allocSampleDir`, every process of the gateway counts the bytes it allocates per request there (see alloc-sampler.ts). */
function allocSampling(allocSampleDir: string | undefined): { flags: string[]; env: Record<string, string> } {
  if (!allocSampleDir) return { flags: [], env: {} };
  return { flags: [`--import="${ALLOC_SAMPLER.pathname}"`], env: { ALLOC_SAMPLE_DIR: allocSampleDir } };
}

/** What the gateway's processes are told to record beside serving: CPU profiles, allocations. */
export interface GatewayRecording {
  cpuProfDir?: string | undefined;
  allocSampleDir?: string | undefined;
}

/**
 * Sides (d) and (e): the product as an operator starts it (`src/main.ts`, WORKERS processes
 * sharing the ports), on the store the setup prepared. Its access log goes where a container's
 * stdout would, here nowhere; ready once `probe` answers 200.
 */
export async function startGateway(env: Record<string, string>, workers: number, probe: { url: string; headers: Record<string, string>; caPem: string }, recording: GatewayRecording = {}): Promise<BenchChild> {
  const sampling = allocSampling(recording.allocSampleDir);
  const flags = [...profiling(workers, recording.cpuProfDir), ...sampling.flags];
  const nodeOptions = flags.length ? { NODE_OPTIONS: [process.env.NODE_OPTIONS, ...flags].filter(Boolean).join(' ') } : {};
  const child = spawn(process.execPath, [MAIN.pathname], { env: { ...process.env, ...env, WORKERS: String(workers), ...nodeOptions, ...sampling.env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const dispatcher = new Agent({ connect: { ca: probe.caPem } });
  try {
    for (let attempt = 0; ; attempt++) {
      if (child.exitCode !== null) throw new Error(`the gateway exited (${child.exitCode}) before it answered`);
      const status = await request(probe.url, { headers: probe.headers, dispatcher }).then(async (answer) => {
        await answer.body.dump();
        return answer.statusCode;
      }, () => 0);
      if (status === 200) break;
      if (attempt > 600) throw new Error(`the gateway did not answer 200 within a minute (last ${status})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    throw error;
  } finally {
    await dispatcher.close();
  }
  return {
    url: '',
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
