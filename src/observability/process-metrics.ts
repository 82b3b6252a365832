import { collectDefaultMetrics, Registry } from 'prom-client';

/*
 * The Node process's own series, prom-client's default metrics under their usual names (the ones
 * Node.js dashboards read): CPU, resident memory and heap spaces, event-loop delay, open handles,
 * and garbage-collection pauses by kind. They belong to the process, not to an app, so one
 * registry per process holds them however many apps it runs (a test process runs hundreds):
 * every registration would add another GC observer and event-loop monitor.
 *
 * The GC buckets are finer than the library's (1 ms, 10 ms, 100 ms, …): under load a
 * young-generation collection takes from 5 to 30 ms and stops every call in its process
 * meanwhile, which is what sets the gateway's p99 (bench/README.md); those need telling apart.
 */

const GC_PAUSE_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

let registry: Registry | undefined;

/** This process's registry of runtime series, made on first use. */
export function processMetrics(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry, gcDurationBuckets: GC_PAUSE_BUCKETS });
  }
  return registry;
}
