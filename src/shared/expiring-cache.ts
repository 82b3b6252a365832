/**
 * A bounded map whose entries expire: the hot caches of the gateway (keys, subscriptions, clients,
 * grants, consents) and of the access-token reader (opaque tokens).
 * Past `maxEntries` the oldest entry goes (insertion order: entries are short-lived, so oldest
 * and least useful coincide well enough, and there is no bookkeeping on reads).
 */
export class ExpiringCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { maxEntries: number; now: () => number }) {
    this.#maxEntries = options.maxEntries;
    this.#now = options.now;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.#entries.delete(key);
    if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as K);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
  }

  /** Drops one entry: an invalidation by the key the event names. */
  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Drops every entry whose value matches: an invalidation by what the event names. */
  deleteWhere(matches: (value: V, key: K) => boolean): void {
    for (const [key, entry] of this.#entries) {
      if (matches(entry.value, key)) this.#entries.delete(key);
    }
  }

  clear(): void {
    this.#entries.clear();
  }
}
