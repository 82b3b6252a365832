import { errors, type AuthorizationDetail, type Client, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { z } from 'zod';

import { accountInformationSchema, paymentInitiationSchema } from './authorization-details.schema.ts';

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'detail'}: ${issue.message}`).join('; ');
}

/** A RAR type whose details must match `schema` and whose client must hold `role`. */
function detailType(schema: z.ZodType, role: string) {
  return {
    validate(_ctx: KoaContextWithOIDC, detail: AuthorizationDetail, client: Client): void {
      const roles = client['software_roles'];
      if (Array.isArray(roles) && !roles.includes(role)) {
        throw new errors.InvalidAuthorizationDetails(`client is not registered with the ${role} role`);
      }
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
    account_information: detailType(accountInformationSchema, 'AISP'),
    payment_initiation: detailType(paymentInitiationSchema, 'PISP'),
  },
  authorizationDetailsForGrantSource: (ctx) => ctx.oidc.grant?.rar,
  authorizationDetailsForAccessToken: (_ctx, _token, source) => source?.rar,
  authorizationDetailsForIntrospection: (_ctx, token) => token.rar,
};
