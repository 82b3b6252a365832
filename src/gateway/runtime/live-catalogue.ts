import type { Knex } from 'knex';

import type { EventBus } from '../../events/event-bus.ts';
import type { EventName } from '../../events/event-catalogue.ts';
import type { Logger } from '../../observability/logger.ts';
import { loadCatalogue } from '../catalogue/catalogue.service.ts';
import { buildRouteTable, type RouteTable } from '../routing/route-table.ts';

/** The events after which the route table is read again. */
const CATALOGUE_EVENTS: readonly EventName[] = ['api.changed', 'api.lifecycle_changed', 'plan.changed', 'events.resynced'];

export interface LiveCatalogue {
  /** The route table now. A request takes it once and keeps it, whatever is swapped in meanwhile. */
  current(): RouteTable;
  /** Reads the catalogue again now (the events do it by themselves). */
  reload(): Promise<void>;
  close(): void;
}

/**
 * The catalogue an instance routes by, in memory: read at start, then again whenever an event
 * says it changed (on any instance, through LISTEN/NOTIFY) and every `safetyReloadMs` in case a
 * notification was lost. Reloads are coalesced: a burst of changes costs one read after the one
 * in progress. A failed read keeps the table it has, logs, and is retried by the next change or tick.
 */
export async function liveCatalogue(db: Knex, events: EventBus, logger: Logger, options: { safetyReloadMs: number }): Promise<LiveCatalogue> {
  let table = buildRouteTable(await loadCatalogue(db));
  let running: Promise<void> | undefined;
  let again = false;

  const readOnce = async () => {
    try {
      table = buildRouteTable(await loadCatalogue(db));
      logger.debug('gateway.catalogue_reloaded');
    } catch (error) {
      logger.error({ err: error }, 'gateway.catalogue_reload_failed');
    }
  };
  const reload = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await readOnce();
      } while (again);
      running = undefined;
    })();
    return running;
  };

  const stops = CATALOGUE_EVENTS.map((name) => events.on(name, () => reload()));
  const tick = setInterval(() => void reload(), options.safetyReloadMs);
  tick.unref();
  return {
    current: () => table,
    reload,
    close() {
      clearInterval(tick);
      for (const stop of stops) stop();
    },
  };
}
