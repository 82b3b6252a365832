/** A portal page's answer to a bad request: its status and the words the page shows. */
export class PortalPageError extends Error {
  override name = 'PortalPageError';
  readonly status: number;
  readonly expose = true;

  constructor(status: 400 | 403 | 404, message: string) {
    super(message);
    this.status = status;
  }
}
