/**
 * A step of the demo that the server refused. The message names the step; `body` is what the
 * server answered (an OAuth error or an Open Banking `OBErrorResponse1`), printed as it came, so
 * that a partner sees exactly what its own client would get.
 */
export class DemoFailed extends Error {
  override name = 'DemoFailed';
  readonly body: unknown;

  constructor(message: string, body?: unknown) {
    super(message);
    this.body = body;
  }
}
