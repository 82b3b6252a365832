import type { Knex } from 'knex';

import type { EventBus } from '../events/event-bus.ts';
import type { EventName } from '../events/event-catalogue.ts';
import type { Clock } from '../shared/clock.ts';
import { loadPortalApis, type PortalApi } from './portal-catalog.service.ts';

/** The events after which the portal reads the catalogue again. */
const CATALOGUE_EVENTS: readonly EventName[] = ['api.changed', 'api.lifecycle_changed', 'events.resynced'];

export interface PortalApisCache {
  /** The API versions offered, as the portal shows them. */
  apis(): Promise<PortalApi[]>;
}

/**
 * The portal's view of the catalogue, in memory: every page needs it, and reading it means reading
 * every API's OpenAPI document (megabytes for Open Banking's). Read on first use, then again after
 * a change (on any instance: the bus hears the others through LISTEN/NOTIFY) or once it is older
 * than `maxAgeMs`, in case a notification was lost. A failed read is not kept.
 */
export function portalApisCache(db: Knex, events: EventBus, clock: Clock, maxAgeMs = 60_000): PortalApisCache {
  let held: { apis: Promise<PortalApi[]>; readAt: number } | undefined;
  for (const name of CATALOGUE_EVENTS) events.on(name, () => void (held = undefined));
  return {
    apis() {
      const now = clock.now().getTime();
      if (!held || now - held.readAt > maxAgeMs) {
        const reading = { apis: loadPortalApis(db), readAt: now };
        held = reading;
        reading.apis.catch(() => {
          if (held === reading) held = undefined;
        });
      }
      return held.apis;
    },
  };
}
