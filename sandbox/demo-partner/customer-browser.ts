/**
 * A bank customer's browser, driven over plain HTTP: follows redirects, keeps cookies, fills the
 * login and consent forms. It stops at the first redirect that leaves the bank (the partner's
 * redirect URI) and returns it, as a real browser would hand it to the partner's app. The demo's
 * walkthrough approves as a test customer with it, headless; the tests drive the bank's pages with it.
 */
export class CustomerBrowser {
  private readonly cookies = new Map<string, string>();
  private readonly fetch: typeof fetch;
  private readonly bankOrigins: Set<string>;
  /** Every page the browser rendered, for tests that check what the customer saw. */
  readonly pages: Array<{ url: string; status: number; html: string }> = [];

  constructor(fetchImpl: typeof fetch, bankOrigins: string[]) {
    this.fetch = fetchImpl;
    this.bankOrigins = new Set(bankOrigins);
  }

  private async send(url: URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.cookieHeader());
    const response = await this.fetch(url, { ...init, headers, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at);
      const value = pair!.slice(at + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** The Cookie header it sends now, for a request made by hand on its behalf. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Navigates to `start` and follows redirects; returns the partner redirect, or the page it stopped on. */
  async open(start: URL, init: RequestInit = {}): Promise<{ redirect?: URL; page?: { url: URL; status: number; html: string } }> {
    let url = start;
    let response = await this.send(url, init);
    while (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      url = new URL(response.headers.get('location')!, url);
      if (!this.bankOrigins.has(url.origin)) return { redirect: url };
      response = await this.send(url);
    }
    const html = await response.text();
    this.pages.push({ url: url.href, status: response.status, html });
    return { page: { url, status: response.status, html } };
  }

  /** Submits the form whose action ends with `actionSuffix` on `page`, with its hidden fields plus `fields`. */
  async submit(page: { url: URL; html: string }, actionSuffix: string, fields: Record<string, string> = {}) {
    const forms = [...page.html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find(([, action]) => action!.endsWith(actionSuffix));
    if (!form) throw new Error(`no form ending in ${actionSuffix} on ${page.url.href}`);
    const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(([, name, value]) => [name, value]));
    return this.open(new URL(form[1]!, page.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, ...fields }).toString(),
    });
  }

  /**
   * Signs in on the password page, then types the one-time code the sandbox shows on the page that
   * follows; returns what comes next (the consent page, or a redirect to the partner).
   */
  async signIn(loginPage: { url: URL; html: string }, credentials: { username: string; password: string }) {
    const codePage = await this.submit(loginPage, '/login', credentials);
    if (!codePage.page) throw new Error(`expected the one-time code page, was redirected to ${codePage.redirect?.href}`);
    return this.submit(codePage.page, '/code', { code: shownCode(codePage.page.html) });
  }

  /**
   * Logs in and approves (or denies) whatever is asked; returns the redirect to the partner. Unless
   * `choices` says otherwise, approving shares every account offered and pays from the first one.
   */
  async authorize(authorizationUrl: URL, options: { username: string; password: string; decision?: 'confirm' | 'deny'; choices?: Record<string, string> }): Promise<URL> {
    const login = await this.open(authorizationUrl);
    if (!login.page) throw new Error(`expected the login page, was redirected to ${login.redirect?.href}`);
    const consent = await this.signIn(login.page, { username: options.username, password: options.password });
    if (!consent.page) throw new Error(`expected the consent page, was redirected to ${consent.redirect?.href}`);
    const decision = options.decision ?? 'confirm';
    const choices = decision === 'confirm' ? options.choices ?? offeredChoices(consent.page.html) : {};
    const done = await this.submit(consent.page, `/${decision}`, choices);
    if (!done.redirect) throw new Error(`expected a redirect to the partner, got ${done.page?.status}: ${done.page?.html.slice(0, 300)}`);
    return done.redirect;
  }
}

/** Every account checkbox on a consent page ticked, and the first "pay from" account chosen. */
export function offeredChoices(html: string): Record<string, string> {
  const choices: Record<string, string> = {};
  for (const [, name] of html.matchAll(/type="checkbox" id="[^"]+" name="([^"]+)"/g)) choices[name!] = 'yes';
  const debtor = /type="radio" id="[^"]+" name="debtor" value="([^"]+)"/.exec(html);
  if (debtor) choices['debtor'] = debtor[1]!;
  return choices;
}

/** The one-time code the sandbox shows on its code page (where a real bank would text it). */
export function shownCode(html: string): string {
  const code = /<p class="shown-code" id="shown-code">(\d{6})<\/p>/.exec(html)?.[1];
  if (!code) throw new Error(`no one-time code on the page: ${html.slice(0, 300)}`);
  return code;
}
