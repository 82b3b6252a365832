import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Adapter, AdapterFactory } from 'oidc-provider';

import type { EventBus } from '../../events/event-bus.ts';
import { ClientAdapter } from './client.adapter.ts';
import { ClientCache } from './client-cache.ts';
import { forgetChangedClients } from './forget-changed-clients.ts';
import { OutageReportingAdapter } from './outage-reporting.adapter.ts';
import { PayloadTableAdapter } from './payload-table.adapter.ts';
import { payloadTableFor } from './payload-tables.ts';
import { ReplayDetectionAdapter } from './replay-detection.adapter.ts';
import { ReplayDetectionRedisAdapter } from './replay-detection-redis.adapter.ts';

// Where the replay claims live in Redis: `portcullis:replay:<id>`.
const REPLAY_KEY_PREFIX = 'portcullis:replay';

// Far more registrations than an ecosystem's partners have clients; a few KB each.
const CLIENT_CACHE_ENTRIES = 1000;

export interface StoreAdapterOptions {
  /**
   * Seconds a client's metadata is reused from memory (`defaults.clientCacheTtl`). Absent or 0:
   * every lookup reads the store, as a short-lived process like the CLI wants.
   */
  clientCacheTtl?: number;
  /**
   * The bus on which client changes made elsewhere arrive (other instances and the CLI over
   * LISTEN/NOTIFY, ops services in this process): each drops the client from the cache at once.
   * Absent, only changes made through this factory's adapters do, and others wait for the TTL.
   */
  events?: EventBus;
  /**
   * A pool that commits without waiting for the disk (`openRelaxedCommitStore`), for the two rows
   * written on every token request whose loss in a PostgreSQL crash is harmless or within accepted
   * risk; absent, `db` (fully durable). A crash can lose the last fraction of a second of them:
   * - replay claims (client assertion and DPoP proof `jti`s): a proof or assertion seen just before
   *   could be replayed once within its remaining lifetime (minutes), and only by someone who holds
   *   it and also passes the client's TLS or DPoP binding. DESIGN.md accepts the same for
   *   multi-instance deployments, whose replay caches live in Redis, which keeps nothing on disk;
   * - client-credentials access tokens, as issued: a lost one fails closed (the partner's next call
   *   gets `invalid_token` and it asks for another). Their revocation is durable: it goes to `db`,
   *   and its commit flushes the issuing write before it.
   */
  relaxedDb?: Knex;
  /**
   * The Redis (`REDIS_URL`, made with `connectFailFastRedis`) that holds the replay claims instead
   * of `oidc_replay`: one claim per client assertion and DPoP proof, shared by every instance and
   * kept off PostgreSQL. Absent, they go to `relaxedDb`. A Redis that fails is an outage like the
   * store's (503, `Retry-After`): the check is never skipped.
   */
  replayRedis?: Redis;
}

/**
 * Makes oidc-provider's `adapter` option: a factory the provider calls once per model name
 * (`lib/models/base_model.js`), returning that model's storage in the Portcullis database (replay
 * claims in `replayRedis` when given). Throws a `TypeError` for a model name no table is made for,
 * and a `RangeError` for a bad cache TTL. A store outage (PostgreSQL or Redis) surfaces from every
 * method as `TemporarilyUnavailable` (503), which oidc-provider renders as it renders its own errors.
 *
 * Every provider built with one factory shares its client cache, so a client changed through one
 * (a key rotation builds a new provider) is forgotten by all of them.
 *
 * @example
 * ```ts
 * const provider = new Provider(issuer, { adapter: createStoreAdapter(db, { clientCacheTtl: 10, events }), ...configuration });
 * ```
 */
export function createStoreAdapter(db: Knex, { clientCacheTtl = 0, relaxedDb = db, events, replayRedis }: StoreAdapterOptions = {}): AdapterFactory {
  const clientCache = new ClientCache({ ttlSeconds: clientCacheTtl, maxEntries: CLIENT_CACHE_ENTRIES });
  if (events) forgetChangedClients(clientCache, events);
  const tableAdapterFor = (model: string): Adapter => {
    if (model === 'Client') return new ClientAdapter(db, clientCache);
    if (model === 'ReplayDetection') return replayRedis ? new ReplayDetectionRedisAdapter(replayRedis, REPLAY_KEY_PREFIX) : new ReplayDetectionAdapter(relaxedDb);
    if (model === 'ClientCredentials') return new PayloadTableAdapter(db, model, payloadTableFor(model), { upsertDb: relaxedDb });
    return new PayloadTableAdapter(db, model, payloadTableFor(model));
  };
  // An arrow function, so oidc-provider calls it rather than `new`s it (`initialize_adapter.js`).
  const storeAdapterFor = (model: string): Adapter => new OutageReportingAdapter(tableAdapterFor(model));
  return storeAdapterFor;
}
