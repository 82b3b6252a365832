import type { Middleware } from 'koa';

import { CatalogueConflict, CatalogueInvalid, CatalogueNotFound } from '../../gateway/catalogue/catalogue-errors.ts';
import { ConsumerNotFound } from '../../gateway/consumers/consumers.service.ts';
import { ObAdminConflict, ObAdminInvalid, ObAdminNotFound } from '../openbanking/ob-admin-errors.ts';
import { Problem } from '../../shared/problem.ts';

// PostgreSQL's unique_violation and foreign_key_violation: a clash a service did not foresee is
// still the client's (a client_id another application has), never a 500.
const CLASH_CODES = new Set(['23505', '23503']);

/**
 * Turns the services' refusals into problem details: malformed input is 400 `validation-failed`
 * with an `errors` member listing `{ path, message }` per field (the Open Banking operations refuse
 * only query filters and cursors, so theirs are worded as `readListQuery` words its own), an
 * unknown id 404, a clash with what is stored 409. Anything else goes on to the renderer as it is.
 */
export const translateRefusals: Middleware = async function translateRefusals(_ctx, next) {
  try {
    await next();
  } catch (error) {
    if (error instanceof CatalogueInvalid) throw new Problem(400, 'validation-failed', 'The request is not valid: see errors', { extensions: { errors: error.issues }, cause: error });
    if (error instanceof ObAdminInvalid) throw new Problem(400, 'validation-failed', 'The query parameters are not valid', { extensions: { errors: error.issues }, cause: error });
    if (error instanceof CatalogueNotFound || error instanceof ConsumerNotFound || error instanceof ObAdminNotFound) throw new Problem(404, 'not-found', error.message, { cause: error });
    if (error instanceof CatalogueConflict || error instanceof ObAdminConflict) throw new Problem(409, 'conflict', error.message, { cause: error });
    if (CLASH_CODES.has(String((error as { code?: unknown } | null)?.code))) throw new Problem(409, 'conflict', 'The request clashes with what is stored', { cause: error });
    throw error;
  }
};
