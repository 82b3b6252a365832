import { randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { pageOf, type Page, type PageRequest } from '../page.ts';
import { CatalogueConflict, CatalogueNotFound } from './catalogue-errors.ts';
import { inTransaction, type CatalogueContext } from './catalogue-transaction.ts';
import { parseInput, planInputSchema } from './catalogue.schema.ts';
import { deletePlan as deletePlanRow, selectMissingApiIds, selectPlan, selectPlanPage, upsertPlan } from './catalogue.store.ts';
import type { GatewayPlan } from './catalogue.types.ts';
import { countOpenSubscriptions, deleteClosedSubscriptions } from './subscription.store.ts';

/*
 * Plans: a tier's rate limits, quotas and price, and the APIs its subscribers may call. Written
 * with its API list in one transaction, announced (`plan.changed`) once committed.
 */

/** The plan; throws `CatalogueNotFound`. */
export async function getPlan(db: Knex, id: string): Promise<GatewayPlan> {
  const plan = await selectPlan(db, id);
  if (!plan) throw new CatalogueNotFound(`no plan ${id}`);
  return plan;
}

/** A page of plans, by id. */
export async function listPlans(db: Knex, page: PageRequest): Promise<Page<GatewayPlan>> {
  return pageOf(await selectPlanPage(db, page), page.limit);
}

async function writePlan(trx: Knex, id: string, input: unknown): Promise<GatewayPlan> {
  const plan = { id, ...parseInput(planInputSchema, input) };
  const missing = await selectMissingApiIds(trx, plan.apiIds);
  if (missing.length > 0) throw new CatalogueNotFound(`no API ${missing.join(', ')} (apiIds)`);
  await upsertPlan(trx, plan);
  return (await selectPlan(trx, id))!;
}

/** Creates a plan. Throws `CatalogueInvalid`, `CatalogueNotFound` (an API it names) or `CatalogueConflict` (its name is taken). */
export async function createPlan(context: CatalogueContext, input: unknown): Promise<GatewayPlan> {
  const id = `plan-${randomUUID()}`;
  return inTransaction(context, async (trx, announce) => {
    const plan = await writePlan(trx, id, input);
    announce('plan.changed', { planId: id, change: 'created', actor: context.actor });
    return plan;
  });
}

/** Replaces a plan and its API list. Throws as `createPlan` does, and `CatalogueNotFound` for an unknown plan. */
export async function updatePlan(context: CatalogueContext, id: string, input: unknown): Promise<GatewayPlan> {
  return inTransaction(context, async (trx, announce) => {
    if (!(await selectPlan(trx, id))) throw new CatalogueNotFound(`no plan ${id}`);
    const plan = await writePlan(trx, id, input);
    announce('plan.changed', { planId: id, change: 'updated', actor: context.actor });
    return plan;
  });
}

/**
 * Deletes a plan nobody is subscribed to (requested or active); its refused and cancelled
 * subscriptions go with it. Throws `CatalogueNotFound` or `CatalogueConflict`.
 */
export async function deletePlan(context: CatalogueContext, id: string): Promise<void> {
  await inTransaction(context, async (trx, announce) => {
    const plan = await selectPlan(trx, id);
    if (!plan) throw new CatalogueNotFound(`no plan ${id}`);
    const open = await countOpenSubscriptions(trx, id);
    if (open > 0) throw new CatalogueConflict(`plan ${plan.name} has ${open} requested or active subscription(s): cancel them first`);
    await deleteClosedSubscriptions(trx, id);
    await deletePlanRow(trx, id);
    announce('plan.changed', { planId: id, change: 'deleted', actor: context.actor });
  });
}
