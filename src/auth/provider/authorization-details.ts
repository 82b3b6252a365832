import { errors, type AuthorizationDetail, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { z } from 'zod';

import { accountInformationSchema, paymentInitiationSchema } from '../../openbanking/rar-details.schema.ts';

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'detail'}: ${issue.message}`).join('; ');
}

/**
 * A RAR type whose details must match `schema`. Which clients may use it is their
 * `authorization_details_types` metadata, derived from their roles by the client policy.
 */
function detailType(schema: z.ZodType) {
  return {
    validate(_ctx: KoaContextWithOIDC, detail: AuthorizationDetail): void {
      const parsed = schema.safeParse(detail);
      if (!parsed.success) throw new errors.InvalidAuthorizationDetails(describe(parsed.error));
    },
  };
}

/**
 * `features.richAuthorizationRequests` (RFC 9396). What the customer granted travels in the grant
 * (the interaction adds it), then unchanged to the code, the tokens and introspection.
 */
type RarConfiguration = Extract<NonNullable<NonNullable<Configuration['features']>['richAuthorizationRequests']>, { authorizationDetailsForIntrospection: unknown }>;

export const richAuthorizationRequests: RarConfiguration = {
  enabled: true,
  types: {
    account_information: detailType(accountInformationSchema),
    payment_initiation: detailType(paymentInitiationSchema),
  },
  authorizationDetailsForGrantSource: (ctx) => ctx.oidc.grant?.rar,
  authorizationDetailsForAccessToken: (_ctx, _token, source) => source?.rar,
  authorizationDetailsForIntrospection: (_ctx, token) => token.rar,
};
