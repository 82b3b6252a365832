/** A portal page's answer to a bad request: its status and the words the page shows. */
export class PortalPageError extends Error {
  override name = 'PortalPageError';
  readonly status: number;
  readonly expose = true;

  constructor(status: 404 | 400, message: string) {
    super(message);
    this.status = status;
  }
}
