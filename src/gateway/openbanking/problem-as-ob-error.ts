import type { Middleware } from 'koa';

import { ObError, type ObErrorCode } from '../../openbanking/ob-error.ts';
import { Problem, type ProblemSlug } from '../../shared/problem.ts';

// The gateway's shared steps say what went wrong as problem details; Open Banking callers get it
// as OBErrorResponse1, with the UK.OBIE code nearest in meaning (the list has none for limits or
// upstream failures: UnexpectedError, with the status saying the rest).
const CODES: Readonly<Record<ProblemSlug, ObErrorCode>> = {
  'bad-request': 'UK.OBIE.Resource.InvalidFormat',
  'validation-failed': 'UK.OBIE.Field.Invalid',
  unauthenticated: 'UK.OBIE.Header.Invalid',
  forbidden: 'UK.OBIE.Resource.ConsentMismatch',
  'not-found': 'UK.OBIE.Resource.NotFound',
  'method-not-allowed': 'UK.OBIE.Resource.InvalidFormat',
  conflict: 'UK.OBIE.Resource.InvalidConsentStatus',
  gone: 'UK.OBIE.Resource.NotFound',
  'payload-too-large': 'UK.OBIE.Resource.InvalidFormat',
  'unsupported-media-type': 'UK.OBIE.Header.Invalid',
  'rate-limited': 'UK.OBIE.UnexpectedError',
  'quota-exceeded': 'UK.OBIE.UnexpectedError',
  'upstream-unavailable': 'UK.OBIE.UnexpectedError',
  'upstream-timeout': 'UK.OBIE.UnexpectedError',
  'part-failed': 'UK.OBIE.UnexpectedError',
  unavailable: 'UK.OBIE.UnexpectedError',
  'internal-error': 'UK.OBIE.UnexpectedError',
};

/** Re-throws a `Problem` from a shared step as the `ObError` the Open Banking renderer sends. */
export const problemAsObError: Middleware = async function problemAsObError(_ctx, next) {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    throw new ObError(error.status, [{ ErrorCode: CODES[error.slug], Message: error.detail ?? error.message }], { cause: error, headers: { ...error.headers } });
  }
};
