import type { AdapterPayload } from 'oidc-provider';

/*
 * Client metadata read from the store, kept briefly in this process: oidc-provider looks the
 * client up on every token request, and partners are few and change rarely. Only clients found
 * are kept; an unknown client_id is asked of the store every time, so that a stream of made-up
 * ids cannot fill memory, and a client registered anywhere is usable at once.
 *
 * Changes made through this process's adapter drop the entry at once; those made elsewhere
 * (another instance, the CLI, ops services that write the table themselves) drop it when their
 * event arrives (`forget-changed-clients.ts`). What it costs: a change whose event is lost is seen
 * here only when its entry expires, up to `ttlSeconds` later. A lookup that was already reading
 * the store when a change was made does not store what it read, since it may be the version from
 * before.
 *
 * Entries are returned as stored, not copied, as oidc-provider's own in-memory adapter does: the
 * provider builds its `Client` from them and does not change them.
 */

export interface ClientCacheOptions {
  /** How long an entry is used, seconds; 0 keeps nothing. */
  ttlSeconds: number;
  /** Clients kept at once; the least recently used goes first. */
  maxEntries: number;
  /** Milliseconds on a monotonic clock; `performance.now` unless a test freezes time. */
  now?: () => number;
}

interface Entry {
  metadata: AdapterPayload;
  expiresAt: number;
}

/** A bounded, short-lived cache of client metadata by client_id. */
export class ClientCache {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  #changes = 0;

  /** Throws a `RangeError` for a negative or non-finite TTL or a size below 1. */
  constructor({ ttlSeconds, maxEntries, now = () => performance.now() }: ClientCacheOptions) {
    if (!(ttlSeconds >= 0 && Number.isFinite(ttlSeconds))) throw new RangeError('ttlSeconds must be a finite number of seconds, 0 or more');
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.#ttlMs = ttlSeconds * 1000;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** The cached metadata, or undefined when absent or expired. */
  get(clientId: string): AdapterPayload | undefined {
    const entry = this.#entries.get(clientId);
    if (!entry) return undefined;
    this.#entries.delete(clientId);
    if (entry.expiresAt <= this.#now()) return undefined;
    // Re-inserted, so that the map's order is least recently used first.
    this.#entries.set(clientId, entry);
    return entry.metadata;
  }

  /** A stamp to take before reading the store, and to hand to `set` with what was read. */
  stamp(): number {
    return this.#changes;
  }

  /** Keeps `metadata`, unless a client changed since `stamp` was taken. */
  set(clientId: string, metadata: AdapterPayload, stamp: number): void {
    if (this.#ttlMs === 0 || stamp !== this.#changes) return;
    this.#entries.delete(clientId);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(clientId, { metadata, expiresAt: this.#now() + this.#ttlMs });
  }

  /** Drops `clientId`, and whatever lookups in flight would have stored. */
  forget(clientId: string): void {
    this.#changes += 1;
    this.#entries.delete(clientId);
  }

  /** Drops every client, and whatever lookups in flight would have stored. */
  forgetAll(): void {
    this.#changes += 1;
    this.#entries.clear();
  }
}
