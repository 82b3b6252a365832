import type { IncomingMessage } from 'node:http';

import type { Middleware } from 'koa';
import { errors } from 'oidc-provider';

import type { Logger } from '../../observability/logger.ts';
import type { Clock } from '../../shared/clock.ts';
import { sendOAuthError } from '../../shared/oauth-error-response.ts';
import { readRawBody } from '../../shared/read-raw-body.ts';
import { bindSoftwareStatement } from './bind-software-statement.ts';
import { readSoftwareStatementClaim } from './read-software-statement-claim.ts';
import type { TrustedDirectoryKeys } from './trusted-directories.ts';
import { verifyRegistrationRequest } from './verify-registration-request.ts';
import { verifySoftwareStatement } from './verify-software-statement.ts';

const BODY_LIMIT = 64 * 1024;

/** How the registration middleware checks what it is given. */
export interface SoftwareStatementPolicy {
  directories: TrustedDirectoryKeys;
  issuer: string;
  /** Replay check for signed registration requests (see `verifyRegistrationRequest`). */
  isFirstUse: (issuer: string, jti: string, expiresAt: number) => Promise<boolean>;
  /** What statements' and requests' `iat` and `exp` are checked against. */
  clock: Clock;
}

async function registrationMetadata(req: IncomingMessage, contentType: string, policy: SoftwareStatementPolicy): Promise<Record<string, unknown>> {
  const { directories, issuer, isFirstUse } = policy;
  const now = policy.clock.now();
  const body = await readRawBody(req, BODY_LIMIT);
  if (contentType === 'application/jwt') {
    const ssa = await verifySoftwareStatement(readSoftwareStatementClaim(body), directories, { now });
    return bindSoftwareStatement(await verifyRegistrationRequest(body.trim(), ssa, { audience: issuer, isFirstUse, now }), ssa);
  }
  let requested: unknown;
  try {
    requested = JSON.parse(body);
  } catch {
    throw new errors.InvalidClientMetadata('request body is not valid JSON');
  }
  if (typeof requested !== 'object' || requested === null || Array.isArray(requested)) throw new errors.InvalidClientMetadata('request body must be a JSON object');
  const statement = (requested as Record<string, unknown>)['software_statement'];
  if (typeof statement !== 'string' || !statement) throw new errors.InvalidSoftwareStatement('software_statement is required');
  return bindSoftwareStatement(requested as Record<string, unknown>, await verifySoftwareStatement(statement, directories, { now }));
}

/**
 * Dynamic registration (RFC 7591) and its updates (RFC 7592) are only for software a trusted
 * directory vouches for. In front of oidc-provider's registration endpoint this accepts the UK DCR
 * signed-JWT body or JSON, verifies the software statement (and the request's signature), binds
 * the statement's claims into the metadata, and hands the provider plain JSON metadata.
 */
export function acceptSoftwareStatement(registrationPath: string, policy: SoftwareStatementPolicy, logger: Logger): Middleware {
  return async function acceptSoftwareStatement(ctx, next) {
    const isCreate = ctx.method === 'POST' && ctx.path === registrationPath;
    const isUpdate = ctx.method === 'PUT' && ctx.path.startsWith(`${registrationPath}/`);
    if (!isCreate && !isUpdate) return next();
    const contentType = ctx.request.type;
    if (contentType !== 'application/jwt' && contentType !== 'application/json') {
      return sendOAuthError(ctx, new errors.InvalidRequest('registration requests are application/jwt or application/json'), logger);
    }
    let metadata: Record<string, unknown>;
    try {
      metadata = await registrationMetadata(ctx.req, contentType, policy);
    } catch (error) {
      return sendOAuthError(ctx, error, logger);
    }
    // The stream is consumed; oidc-provider reads an already-parsed body from `req.body`.
    const json = JSON.stringify(metadata);
    ctx.req.headers['content-type'] = 'application/json';
    ctx.req.headers['content-length'] = String(Buffer.byteLength(json));
    (ctx.req as IncomingMessage & { body?: string }).body = json;
    return next();
  };
}
