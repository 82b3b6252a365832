import { DemoFailed } from './demo-failure.ts';

/** The parts of an OB consent response the demo reads: its id and status, and a payment's terms. */
export interface ConsentResponse {
  Data: { ConsentId: string; Status: string; Initiation?: unknown };
  Risk?: unknown;
}

/** Checks that a consent API answer is a consent before the demo relies on its id or status. */
export function asConsentResponse(body: unknown): ConsentResponse {
  const data = typeof body === 'object' && body !== null ? (body as { Data?: unknown }).Data : undefined;
  const { ConsentId, Status } = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  if (typeof ConsentId !== 'string' || typeof Status !== 'string') throw new DemoFailed('the consent API answered something that is not a consent', body);
  return body as ConsentResponse;
}
