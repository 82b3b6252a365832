import { z } from 'zod';

import { issuePath } from '../../../src/gateway/catalogue/catalogue.schema.ts';
import { OB_ROLES } from '../../../src/openbanking/ob-vocabulary.ts';
import { Problem } from '../../../src/shared/problem.ts';

/**
 * What partners send the sandbox directory's onboarding API. Names follow RFC 7591 (`client_name`,
 * `redirect_uris`, `logo_uri`), which is what they become in the software statement. Unknown
 * members are refused, so that a misspelt field is an error rather than silently ignored.
 */

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an absolute https URL' }).max(2000);

export const signUpSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(140),
  contact_email: z.email({ error: 'must be an email address' }).max(254),
});

export type SignUp = z.output<typeof signUpSchema>;

export const softwareStatementRequestSchema = z.strictObject({
  client_name: z.string().trim().min(1, 'must not be empty').max(100),
  roles: z.array(z.enum(OB_ROLES)).min(1, 'must hold at least one role').refine((roles) => new Set(roles).size === roles.length, 'must not repeat a role'),
  // FAPI 2.0 §5.3.2.1 and RFC 6749 §3.1.2: https, absolute, no fragment; the AS refuses anything else.
  redirect_uris: z.array(httpsUrl.refine((uri) => !uri.includes('#'), 'must not contain a fragment')).min(1, 'must hold at least one redirect URI').max(10),
  logo_uri: httpsUrl.optional(),
});

export type SoftwareStatementRequest = z.output<typeof softwareStatementRequestSchema>;

/** Parses a request body, or throws a 400 `validation-failed` problem listing `{ path, message }` per field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }));
  throw new Problem(400, 'validation-failed', 'The request is not valid: see errors', { extensions: { errors } });
}
