import type { Knex } from 'knex';

import type { DomainEvents, EventActor, EventName } from '../../events/event-catalogue.ts';
import type { ServiceContext } from '../../events/service-context.ts';
import { CatalogueConflict } from './catalogue-errors.ts';

/** What the catalogue's services work with: the service context, and who is making the change (for its events). */
export interface CatalogueContext extends ServiceContext {
  actor: EventActor;
}

/** Queues an event to be emitted once the transaction has committed. */
export type Announce = <N extends EventName>(name: N, payload: DomainEvents[N]) => void;

// PostgreSQL's unique_violation and foreign_key_violation.
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

// The unique constraints a client can run into, in its words (knex names them <table>_<columns>_unique).
const CLASHES: Readonly<Record<string, string>> = {
  gateway_apis_base_path_unique: 'another API has this base path',
  gateway_apis_name_version_unique: 'another API has this name and version',
  gateway_plans_name_unique: 'another plan has this name',
  subscriptions_application_id_plan_id_unique: 'the application is subscribed to this plan already',
};

/** A unique or foreign key violation is the client's clash with what is stored, not our failure. */
function asConflict(error: unknown): unknown {
  const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
  if (code === UNIQUE_VIOLATION) return new CatalogueConflict((typeof constraint === 'string' && CLASHES[constraint]) || 'it clashes with what is stored', { cause: error });
  if (code === FOREIGN_KEY_VIOLATION) return new CatalogueConflict('it refers to something that is gone, or is still referred to', { cause: error });
  return error;
}

/**
 * Runs `work` in one transaction (a savepoint when `context.db` is a transaction already, as in
 * declarative config's apply), then emits what it announced: after the commit, so that no
 * listener sees a change that was rolled back (event-catalogue.ts).
 */
export async function inTransaction<T>(context: CatalogueContext, work: (trx: Knex.Transaction, announce: Announce) => Promise<T>): Promise<T> {
  const announced: Array<() => void> = [];
  const announce: Announce = (name, payload) => void announced.push(() => context.events.emit(name, payload));
  let result: T;
  try {
    result = await context.db.transaction((trx) => work(trx, announce));
  } catch (error) {
    throw asConflict(error);
  }
  for (const emit of announced) emit();
  return result;
}
