import type { Knex } from 'knex';
import type { Middleware } from 'koa';

import { readJsonBody } from '../../../src/openbanking/http/read-json-body.ts';
import type { Clock } from '../../../src/shared/clock.ts';
import { playScenario } from '../scenario-switches.ts';
import { validateObBody } from '../validate-ob-body.ts';
import { makePayment } from './make-payment.service.ts';
import type { PaymentKindSpec, PaymentRequest } from './payment-kinds.ts';
import { paymentDetailsResponse, paymentResponse } from './payment-response.ts';
import { readPayment } from './read-payment.service.ts';

export interface PaymentDeps {
  db: Knex;
  clock: Clock;
  /** How long the SANDBOX-SLOW scenario waits before answering. */
  slowAnswerMs: number;
}

/**
 * `POST <payments>`: the body checked against its schema, a scenario played, the payment made
 * (201), or, for a consent that paid already, the same payment again (201, as first answered).
 */
export function submitPaymentEndpoint(deps: PaymentDeps, spec: PaymentKindSpec): Middleware[] {
  const handleSubmission: Middleware = async function handleSubmission(ctx) {
    const call = ctx.state.bankCore!;
    const { payment } = await makePayment(deps, spec, call.identity, ctx.state.obRequest!.parsed as PaymentRequest);
    ctx.status = 201;
    ctx.body = paymentResponse(spec, payment, call.linkBase);
  };
  return [readJsonBody, validateObBody('payment-initiation', spec.requestSchema), playScenario(deps.slowAnswerMs, (body) => spec.referenceOf((body as PaymentRequest).Data.Initiation)), handleSubmission];
}

/** `GET <payments>/{id}`: the payment, settled if due. */
export function readPaymentEndpoint(deps: PaymentDeps, spec: PaymentKindSpec): Middleware {
  return async function readPaymentEndpoint(ctx) {
    const call = ctx.state.bankCore!;
    ctx.body = paymentResponse(spec, await readPayment(deps, spec, call.identity, ctx.params['PaymentId']!), call.linkBase);
  };
}

/** `GET <payments>/{id}/payment-details`: its status history. */
export function readPaymentDetailsEndpoint(deps: PaymentDeps, spec: PaymentKindSpec): Middleware {
  return async function readPaymentDetailsEndpoint(ctx) {
    const call = ctx.state.bankCore!;
    ctx.body = paymentDetailsResponse(spec, await readPayment(deps, spec, call.identity, ctx.params['PaymentId']!), call.linkBase);
  };
}
