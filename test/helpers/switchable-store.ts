import type { Knex } from 'knex';

/**
 * A store whose database can be swapped under the code that holds it, for tests that take the
 * database away (a destroyed knex) and give one back, on PGlite as well as PostgreSQL: PGlite's
 * only connection cannot be re-opened once closed.
 */
export function switchableStore(initial: Knex): { db: Knex; use(next: Knex): void } {
  let current = initial;
  const db = new Proxy(function store() {}, {
    apply: (_target, _self, args: unknown[]) => (current as unknown as (...args: unknown[]) => unknown)(...args),
    get(_target, property) {
      const value: unknown = Reflect.get(current, property, current);
      return typeof value === 'function' ? value.bind(current) : value;
    },
  }) as unknown as Knex;
  return { db, use: (next) => void (current = next) };
}
