import type { Knex } from 'knex';

/**
 * Revokes a whole grant in one statement: every code, access and refresh token issued under it,
 * and the grant itself. `db` may be a transaction, so that a consent's status change and the
 * revocation of its tokens commit together or not at all.
 */
export async function revokeGrantTokens(db: Knex, grantId: string): Promise<void> {
  await db.raw('with revoked_tokens as (delete from oidc_tokens where grant_id = ?) delete from oidc_grants where id = ?', [grantId, grantId]);
}
