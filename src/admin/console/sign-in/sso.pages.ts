import type { Context, Middleware } from 'koa';

import type { ConsoleSsoConfig } from '../../../config/config.ts';
import { renderView } from '../../../shared/render-view.ts';
import { createSsoClient, SsoInvalid, SsoRefused, SsoUnavailable, type SsoClient, type SsoTransaction } from '../../operators/operator-sso-client.ts';
import { signInWithSso } from '../../operators/operator-sso.service.ts';
import { OPERATOR_SESSIONS } from '../../operators/operator-sessions.ts';
import { replaceSessionCookie } from '../../../shared/sessions/session-cookie.ts';
import type { ConsoleDependencies } from '../console.deps.ts';
import { safeConsolePath } from '../console-next-path.ts';
import { renderForm } from './sign-in.pages.ts';

/*
 * Single sign-on to the console: `GET /console/sign-in/oidc` sends the browser to the
 * organisation's provider, with what the return must match (state, nonce, PKCE verifier) kept in a
 * short-lived cookie of this browser; `GET /console/sign-in/oidc/callback` checks the provider's
 * answer and signs the operator in. Every refusal is the sign-in page again, saying why, with the
 * password form still there: 403 when the provider or the console said no, 400 for an answer that
 * does not belong to this browser's sign-in, 503 with `Retry-After` when the provider is down.
 */

/** Single sign-on as the console's pages see it. */
export interface ConsoleSso {
  /** The provider's name on the button. */
  name: string;
  roles: ConsoleSsoConfig['roles'];
  client: SsoClient;
  /** `<issuer>/console/sign-in/oidc/callback`, as registered at the provider. */
  redirectUri: string;
}

// SameSite=Lax, not Strict: the provider's redirect back is a navigation another site starts,
// which a Strict cookie would miss. Ten minutes to sign in at the provider.
const COOKIE = '__Host-portcullis-console-sso';
const ATTRIBUTES = { secure: true, httpOnly: true, sameSite: 'lax', path: '/', signed: false, overwrite: true } as const;
const TRANSACTION_SECONDS = 10 * 60;
const RETRY_AFTER_SECONDS = 30;

const BAD_STATE = 'This sign-in was not started in this browser, or took too long. Start it again.';
const INVALID = 'Your organisation\'s sign-in answered in a way the console cannot trust. Start again; if it happens again, tell whoever runs the console.';
const UNREACHABLE = 'Your organisation\'s sign-in cannot be reached just now. Try again in a minute, or sign in with your password.';

function readTransaction(ctx: Context): SsoTransaction | undefined {
  const value = ctx.cookies.get(COOKIE, { signed: false });
  if (!value) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<SsoTransaction>;
    const fields = [parsed.state, parsed.nonce, parsed.verifier, parsed.next];
    return fields.every((field) => typeof field === 'string') ? (parsed as SsoTransaction) : undefined;
  } catch {
    return undefined;
  }
}

/** The sign-in page again, with why single sign-on did not work. */
function refuse(ctx: Context, deps: ConsoleDependencies, status: number, message: string, next: string): Promise<void> {
  ctx.status = status;
  if (status === 503) ctx.set('Retry-After', String(RETRY_AFTER_SECONDS));
  return renderForm(ctx, deps, 'sign-in', { next, message });
}

/** Announces (and so audits) a refusal that happened before the person was known. */
function announce(deps: ConsoleDependencies, reason: 'provider-refused' | 'invalid-response' | 'unreachable'): void {
  deps.events.emit('operator.sign_in_failed', { email: '', step: 'sso', reason, actor: 'system' });
}

/** Answers what the provider client threw: 403, 400 or 503 (anything else is not ours to word). */
function refuseFor(ctx: Context, deps: ConsoleDependencies, error: unknown, next: string): Promise<void> {
  if (error instanceof SsoUnavailable) {
    deps.logger.warn({ err: error }, 'console.sso.unreachable');
    announce(deps, 'unreachable');
    return refuse(ctx, deps, 503, UNREACHABLE, next);
  }
  if (error instanceof SsoRefused) {
    announce(deps, 'provider-refused');
    const said = error.error === 'access_denied' ? 'Your organisation\'s sign-in did not let you in (access denied).' : `Your organisation's sign-in refused (${error.error}).`;
    return refuse(ctx, deps, 403, `${said} You have not been signed in.`, next);
  }
  if (error instanceof SsoInvalid) {
    deps.logger.warn({ err: error }, 'console.sso.invalid_response');
    announce(deps, 'invalid-response');
    return refuse(ctx, deps, 400, INVALID, next);
  }
  throw error;
}

/** `GET /console/sign-in/oidc[?next=]`: off to the provider (303). */
export function startConsoleSso(deps: ConsoleDependencies): Middleware {
  return async function startConsoleSso(ctx) {
    const sso = deps.sso ?? ctx.throw(404, 'Single sign-on is not set up for this console.');
    const next = safeConsolePath(ctx.query['next']);
    let started: Awaited<ReturnType<SsoClient['start']>>;
    try {
      started = await sso.client.start(next);
    } catch (error) {
      return refuseFor(ctx, deps, error, next);
    }
    ctx.cookies.set(COOKIE, Buffer.from(JSON.stringify(started.transaction)).toString('base64url'), { ...ATTRIBUTES, maxAge: TRANSACTION_SECONDS * 1000 });
    ctx.status = 303;
    ctx.redirect(started.url.href);
  };
}

/**
 * `GET /console/sign-in/oidc/callback`: the provider's answer. Signed in, the page leads on to the
 * console by itself: a redirect would still be part of the provider's navigation, which the
 * console's SameSite=Strict session cookie does not travel with; a page of our own starts a new one.
 */
export function finishConsoleSso(deps: ConsoleDependencies): Middleware {
  return async function finishConsoleSso(ctx) {
    const sso = deps.sso ?? ctx.throw(404, 'Single sign-on is not set up for this console.');
    const transaction = readTransaction(ctx);
    // Once used, whatever comes of it: a second answer to one sign-in is never taken.
    ctx.cookies.set(COOKIE, '', ATTRIBUTES);
    if (!transaction || ctx.query['state'] !== transaction.state) {
      announce(deps, 'invalid-response');
      return refuse(ctx, deps, 400, BAD_STATE, '/console');
    }
    const next = safeConsolePath(transaction.next);
    let identity;
    try {
      identity = await sso.client.finish(new URL(`${sso.redirectUri}?${ctx.querystring}`), transaction);
    } catch (error) {
      return refuseFor(ctx, deps, error, next);
    }
    const result = await signInWithSso({ db: deps.db, events: deps.events, clock: deps.clock, roles: sso.roles }, identity);
    if ('refused' in result) return refuse(ctx, deps, 403, result.message, next);
    await replaceSessionCookie(ctx, deps, OPERATOR_SESSIONS, result.passed);
    // HTML §7.11.1 (shared declarative refresh): the `Refresh` header, as the meta element would.
    ctx.set('Refresh', `0;url=${next}`);
    ctx.type = 'html';
    ctx.body = await renderView('admin/sso-done', { next, operator: null });
  };
}

/** Single sign-on for a console served at `issuer` (the browser listener's base URL). */
export function consoleSsoFor(config: ConsoleSsoConfig, issuer: string): ConsoleSso {
  const redirectUri = `${issuer}/console/sign-in/oidc/callback`;
  return { name: config.name, roles: config.roles, client: createSsoClient(config, redirectUri), redirectUri };
}
