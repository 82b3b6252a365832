import type { KoaContextWithOIDC } from 'oidc-provider';

import { isStoreUnavailable } from '../../db/store-unavailable.ts';
import { renderUnavailablePage } from '../../shared/render-unavailable-page.ts';
import { renderView } from '../../shared/render-view.ts';

/**
 * Pages oidc-provider renders itself (errors it cannot redirect, logout), in our views: the
 * library's built-in pages carry inline styles our CSP forbids. Only the protocol error code and
 * its client-safe description are shown; never a stack or internal detail. A store outage gets
 * the outage page, as on our own pages.
 */
export async function renderProviderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: Error): Promise<void> {
  if (isStoreUnavailable(error)) return renderUnavailablePage(ctx);
  const exposed = (error as { expose?: boolean }).expose !== false && out.error !== 'server_error';
  ctx.type = 'html';
  ctx.body = await renderView('auth/error', {
    message: exposed ? (out.error_description ?? 'The request could not be completed.') : 'We could not complete your request. Please try again later.',
    code: out.error,
  });
}

export async function renderLogout(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  ctx.type = 'html';
  ctx.body = await renderView('auth/logout', { form });
}

export async function renderLoggedOut(ctx: KoaContextWithOIDC): Promise<void> {
  ctx.type = 'html';
  ctx.body = await renderView('auth/logged-out', {});
}
