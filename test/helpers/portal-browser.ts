import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';

import type { Knex } from 'knex';

import { hashPassword } from '../../src/auth/customers/password-authenticator.ts';
import { tlsFetch } from './tls-fetch.ts';

/**
 * A browser without a screen for the portal's pages: it keeps the cookies it is given (by name,
 * dropping one set empty) and sends them back, follows no redirect, and reads each form's CSRF token.
 */
export class PortalBrowser {
  readonly cookies = new Map<string, string>();
  private readonly send: typeof fetch;
  private readonly origin: string;

  constructor(caPem: string, origin: string) {
    this.send = tlsFetch(caPem);
    this.origin = origin;
  }

  async get(path: string): Promise<Response> {
    return this.keep(await this.send(`${this.origin}${path}`, { redirect: 'manual', headers: this.cookieHeader() }));
  }

  async post(path: string, fields: Record<string, string>): Promise<Response> {
    return this.keep(await this.send(`${this.origin}${path}`, {
      method: 'POST', redirect: 'manual', headers: { ...this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(),
    }));
  }

  /** Opens `path` and posts its form with `fields` and the page's CSRF token. */
  async submit(path: string, action: string, fields: Record<string, string>): Promise<Response> {
    const page = await this.get(path);
    assert.equal(page.status, 200, `${path} answered ${page.status}`);
    return this.post(action, { csrf: csrfIn(await page.text()), ...fields });
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {};
  }

  private keep(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (value) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return response;
  }
}

export const csrfIn = (html: string) => html.match(/name="csrf" value="([^"]+)"/)![1]!;

export const newDeveloperAddress = () => `dev-${randomBytes(4).toString('hex')}@example.com`;

/** A developer with a confirmed address, straight into the store. */
export async function insertVerifiedDeveloper(db: Knex, fields: { email?: string; name?: string; password?: string } = {}): Promise<{ id: string; email: string; name: string; password: string }> {
  const developer = { id: `dev-${randomUUID()}`, email: fields.email ?? newDeveloperAddress(), name: fields.name ?? 'Grace Hopper', password: fields.password ?? 'a long enough password' };
  await db('portal_developers').insert({
    id: developer.id, email: developer.email, email_key: developer.email.toLowerCase(), name: developer.name, password_hash: await hashPassword(developer.password), email_verified_at: new Date(), created_at: new Date(),
  });
  return developer;
}

/** A browser signed in as the developer (through the sign-in form). */
export async function signedInBrowser(caPem: string, origin: string, developer: { email: string; password: string }): Promise<PortalBrowser> {
  const browser = new PortalBrowser(caPem, origin);
  const answer = await browser.submit('/account/sign-in', '/account/sign-in', { email: developer.email, password: developer.password });
  assert.equal(answer.status, 303, `signing in answered ${answer.status}`);
  return browser;
}
