import { canTransition } from './api-lifecycle.ts';
import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from './catalogue-errors.ts';
import { inTransaction, type CatalogueContext } from './catalogue-transaction.ts';
import { lifecycleChangeSchema, parseInput } from './catalogue.schema.ts';
import { selectApi, updateApiLifecycle } from './catalogue.store.ts';
import type { GatewayApi } from './catalogue.types.ts';

/**
 * Moves an API along its lifecycle (`api-lifecycle.ts` has the legal moves and why), e.g.
 * `{ to: 'deprecated', sunsetAt: '2027-06-30T00:00:00Z', successorApiId: 'api-…' }`. A deprecation's
 * sunset must lie ahead of the context's clock, and its successor be another API that is
 * published. Un-deprecating clears sunset and successor; retiring keeps them, so that the 410 can
 * still name what replaced it.
 *
 * Throws `CatalogueInvalid` (malformed change, sunset past), `CatalogueNotFound` (the API or its
 * successor), `CatalogueConflict` (an illegal move, a successor that is not published).
 */
export async function changeApiLifecycle(context: CatalogueContext, id: string, input: unknown): Promise<GatewayApi> {
  const change = parseInput(lifecycleChangeSchema, input);
  return inTransaction(context, async (trx, announce) => {
    const api = await selectApi(trx, id, { lock: true });
    if (!api) throw new CatalogueNotFound(`no API ${id}`);
    if (!canTransition(api.lifecycle, change.to)) throw new CatalogueConflict(`API ${api.name} ${api.version} is ${api.lifecycle}; it cannot become ${change.to}`);
    // The Deprecation header's date (RFC 9745) is when it was first deprecated; moving the sunset keeps it.
    const deprecatedAt = api.lifecycle === 'deprecated' || api.lifecycle === 'retired' ? api.deprecatedAt ?? null : context.clock.now();
    let state = { lifecycle: change.to, sunsetAt: api.sunsetAt, successorApiId: api.successorApiId, deprecatedAt };
    if (change.to === 'published') state = { lifecycle: change.to, sunsetAt: null, successorApiId: null, deprecatedAt: null };
    if (change.to === 'deprecated') {
      if (change.sunsetAt!.getTime() <= context.clock.now().getTime()) throw new CatalogueInvalid([{ path: 'sunsetAt', message: 'must be in the future' }]);
      if (change.successorApiId !== undefined) {
        if (change.successorApiId === id) throw new CatalogueInvalid([{ path: 'successorApiId', message: 'an API cannot succeed itself' }]);
        const successor = await selectApi(trx, change.successorApiId);
        if (!successor) throw new CatalogueNotFound(`no API ${change.successorApiId} (successorApiId)`);
        if (successor.lifecycle !== 'published') throw new CatalogueConflict(`the successor ${successor.name} ${successor.version} is ${successor.lifecycle}; it must be published`);
      }
      state = { lifecycle: change.to, sunsetAt: change.sunsetAt!, successorApiId: change.successorApiId ?? null, deprecatedAt };
    }
    await updateApiLifecycle(trx, id, state);
    announce('api.lifecycle_changed', { apiId: id, from: api.lifecycle, to: change.to, actor: context.actor, ...(state.lifecycle === 'deprecated' ? { sunsetAt: state.sunsetAt! } : {}) });
    return (await selectApi(trx, id))!;
  });
}
