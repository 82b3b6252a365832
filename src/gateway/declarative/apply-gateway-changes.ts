import type { EventBus } from '../../events/event-bus.ts';
import { changeApiLifecycle } from '../catalogue/api-lifecycle.service.ts';
import type { CatalogueContext } from '../catalogue/catalogue-transaction.ts';
import { createApi, deleteApi, loadCatalogue, updateApi } from '../catalogue/catalogue.service.ts';
import type { Lifecycle } from '../catalogue/catalogue.types.ts';
import { createPlan, deletePlan, updatePlan } from '../catalogue/plans.service.ts';
import { apiKey, type DesiredPlan, type GatewayFile } from './gateway-file.schema.ts';
import { planGatewayChanges, type GatewayChange, type PlanOptions } from './plan-gateway-changes.ts';

/** Applying a file failed at one entity; nothing of the file was applied. */
export class GatewayApplyFailed extends Error {
  override name = 'GatewayApplyFailed';
}

// Events wait for the whole file's commit: a service's own commit is only a savepoint here.
function bufferEvents(bus: EventBus): { bus: EventBus; flush(): void } {
  const queued: Array<() => void> = [];
  return {
    bus: { emit: (name, payload) => void queued.push(() => bus.emit(name, payload)), on: (name, listener) => bus.on(name, listener) },
    flush: () => queued.forEach((emit) => emit()),
  };
}

async function naming<T>(subject: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new GatewayApplyFailed(`${subject}: ${(error as Error).message}`, { cause: error });
  }
}

// Successors must be published before anything is deprecated towards them, so moves go in phases.
const PHASES: readonly Lifecycle[] = ['published', 'deprecated', 'retired'];

/**
 * Makes the catalogue hold what `desired` lists, in one transaction: the changes are planned
 * against the catalogue as read inside it (`planGatewayChanges`), then made through the
 * catalogue's services, so every check of the admin API applies. Any failure rolls back the
 * whole file and names the entity (`GatewayApplyFailed`); events are emitted after the commit.
 * Applying the same file again changes nothing and returns no changes.
 */
export async function applyGatewayChanges(context: CatalogueContext, desired: GatewayFile, options: PlanOptions): Promise<GatewayChange[]> {
  const events = bufferEvents(context.events);
  const changes = await context.db.transaction(async (trx) => {
    const scoped: CatalogueContext = { ...context, db: trx, events: events.bus };
    const current = await loadCatalogue(trx);
    const planned = planGatewayChanges(current, desired, options);
    const apiIds = new Map(current.apis.map((api) => [apiKey(api), api.id]));
    const planInput = (plan: DesiredPlan) => ({ ...plan.definition, apiIds: plan.apis.map((ref) => apiIds.get(apiKey(ref))!) });
    for (const change of planned) {
      if (change.entity === 'api' && change.action === 'create') apiIds.set(change.key, (await naming(`api ${change.key}`, () => createApi(scoped, change.desired.definition))).id);
      if (change.entity === 'api' && change.action === 'update') await naming(`api ${change.key}`, () => updateApi(scoped, change.id, change.desired.definition));
    }
    const moves = planned.flatMap((change) => (change.entity === 'lifecycle' ? [{ change, done: 0 }] : []));
    for (const phase of PHASES) {
      for (const move of moves) {
        if (move.change.path[move.done] !== phase) continue;
        const { key, sunsetAt, successor } = move.change;
        const body = phase === 'deprecated' ? { to: phase, sunsetAt: sunsetAt?.toISOString(), ...(successor ? { successorApiId: apiIds.get(apiKey(successor)) } : {}) } : { to: phase };
        await naming(`api ${key}: lifecycle → ${phase}`, () => changeApiLifecycle(scoped, apiIds.get(key)!, body));
        move.done += 1;
      }
    }
    for (const change of planned) {
      if (change.entity !== 'plan' || change.action === 'delete') continue;
      if (change.action === 'create') await naming(`plan ${change.key}`, () => createPlan(scoped, planInput(change.desired)));
      else await naming(`plan ${change.key}`, () => updatePlan(scoped, change.id, planInput(change.desired)));
    }
    for (const change of planned) if (change.entity === 'plan' && change.action === 'delete') await naming(`plan ${change.key}`, () => deletePlan(scoped, change.id));
    for (const change of planned) if (change.entity === 'api' && change.action === 'delete') await naming(`api ${change.key}`, () => deleteApi(scoped, change.id));
    return planned;
  });
  events.flush();
  return changes;
}
