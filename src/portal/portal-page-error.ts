/** A portal page's answer to a bad request: its status, the words the page shows, and any headers (a 429's `Retry-After`). */
export class PortalPageError extends Error {
  override name = 'PortalPageError';
  readonly status: number;
  readonly expose = true;
  readonly headers: Record<string, string> | undefined;

  constructor(status: 400 | 403 | 404 | 409 | 429, message: string, headers?: Record<string, string>) {
    super(message);
    this.status = status;
    this.headers = headers;
  }
}
