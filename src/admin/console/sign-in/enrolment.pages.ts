import type { Context, Middleware } from 'koa';
import QRCode from 'qrcode';

import { enrolmentFor } from '../../operators/operator-second-factor.service.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { safeConsolePath } from '../console-next-path.ts';
import { renderForm, submitCodeStep } from './sign-in.pages.ts';

/*
 * The first sign-in's second step: the operator sets up an authenticator app from a QR code (an
 * SVG drawn on the server: no script, and it carries no style attribute, which the CSP would
 * refuse), or from the secret typed by hand, then confirms it with the app's first code.
 */

/** The secret in groups of four, as apps that take it by hand show it. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)!.join(' ');

async function enrolmentLocals(ctx: Context, deps: ConsoleDependencies): Promise<Record<string, unknown>> {
  const { secret, uri } = await enrolmentFor(deps, ctx.state.operator!);
  // The library's SVG: a white square and one path; hidden from screen readers, whom the figure's label and the text secret serve.
  const svg = (await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })).replace('<svg ', '<svg aria-hidden="true" focusable="false" ');
  return { qrSvg: svg, secret: grouped(secret), uri };
}

/** `GET /console/enrol`: the QR code, the secret and the form for the app's first code. */
export function showEnrolment(deps: ConsoleDependencies): Middleware {
  return async function showEnrolment(ctx) {
    await renderForm(ctx, deps, 'enrol', { ...(await enrolmentLocals(ctx, deps)), next: safeConsolePath(ctx.query['next']) });
  };
}

/** `POST /console/enrol`: the app's first code confirms it and signs the operator in. */
export const submitEnrolment = (deps: ConsoleDependencies): Middleware => submitCodeStep(deps, 'enrol', (ctx) => enrolmentLocals(ctx, deps));
