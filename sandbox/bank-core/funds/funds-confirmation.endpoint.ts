import type { Knex } from 'knex';
import type { Middleware } from 'koa';

import { readJsonBody } from '../../../src/openbanking/http/read-json-body.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import { playScenario } from '../scenario-switches.ts';
import { validateObBody } from '../validate-ob-body.ts';
import { confirmFunds, type FundsConfirmationRequest } from './confirm-funds.service.ts';

/** `POST /funds-confirmations` (Confirmation of Funds API v3.1.11): 201 with the answer. */
export function fundsConfirmationEndpoint(deps: { db: Knex; clock: Clock; slowAnswerMs: number }): Middleware[] {
  const handleFundsConfirmation: Middleware = async function handleFundsConfirmation(ctx) {
    const call = ctx.state.bankCore!;
    const data = await confirmFunds(deps, call.identity, ctx.state.obRequest!.parsed as FundsConfirmationRequest);
    ctx.status = 201;
    ctx.body = { Data: data, Links: { Self: `${call.linkBase}/funds-confirmations/${data['FundsConfirmationId'] as string}` }, Meta: {} };
  };
  return [readJsonBody, validateObBody('confirmation-funds', 'OBFundsConfirmation1'), playScenario(deps.slowAnswerMs, (body) => (body as FundsConfirmationRequest).Data.Reference), handleFundsConfirmation];
}
