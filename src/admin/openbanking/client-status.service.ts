import type { ServiceContext } from '../../events/service-context.ts';
import { endConsent, type RevokeGrant } from '../../consent/consent.service.ts';
import { listLiveClientConsentIds } from '../../consent/consent-search.store.ts';
import { ObError } from '../../openbanking/ob-error.ts';
import { deleteClient, deleteClientTokens, findClientRow, setClientSuspension, type ClientRow } from '../../auth/clients/client.store.ts';

/*
 * What the bank's operations do to a partner's registration (console and admin API): suspend it
 * (the authorization server treats it as unknown, the gateway refuses its tokens; its consents and
 * tokens stay, for a reactivation), reactivate it, or remove it for good (its consents are revoked
 * with their tokens, then its registration deleted). Every change is announced on the bus, which
 * is how every instance's caches learn of it within a second.
 */

/** The consent history's words for a consent ended by a partner's removal. */
const REMOVAL_REASON = "the partner's registration was removed by bank operations";

/** Suspends (`suspended`) or reactivates (`active`) a client; resolves its row, undefined for an unknown client. Asking for the state it has already changes nothing. */
export async function setClientStatus(context: ServiceContext, clientId: string, status: 'active' | 'suspended'): Promise<ClientRow | undefined> {
  const row = await findClientRow(context.db, clientId);
  if (!row || (row.suspended_at !== null) === (status === 'suspended')) return row;
  const changed = await setClientSuspension(context.db, clientId, status === 'suspended' ? context.clock.now() : null);
  if (changed) context.events.emit('client.status_changed', { clientId, status, actor: 'ops' });
  return changed;
}

/**
 * Removes a client: suspended first, so that nothing new is authorised meanwhile; then each of its
 * live consents ended as ops (`endConsent`: revoked, or rejected when nobody had authorised it, with
 * every token of its grant); then its registration, its own tokens and any grant left, in one
 * transaction. Each step can be retried: a removal that failed half way is finished by the next.
 * Resolves the consents it ended, or undefined for an unknown client.
 */
export async function removeClient(context: ServiceContext, revokeGrant: RevokeGrant, clientId: string): Promise<{ endedConsents: string[] } | undefined> {
  if (!(await setClientStatus(context, clientId, 'suspended'))) return undefined;
  const endedConsents: string[] = [];
  for (const consentId of await listLiveClientConsentIds(context.db, clientId)) {
    try {
      await endConsent(context, consentId, 'ops', revokeGrant, REMOVAL_REASON);
      endedConsents.push(consentId);
    } catch (error) {
      // Ended meanwhile (the partner's DELETE, the customer's revocation): ended, as asked.
      if (!(error instanceof ObError)) throw error;
    }
  }
  const grants = await context.db.transaction(async (trx) => {
    const left = await deleteClientTokens(trx, clientId);
    await deleteClient(trx, clientId);
    return left;
  });
  for (const grantId of grants) context.events.emit('grant.revoked', { grantId, reason: 'consent_ended' });
  context.events.emit('client.deleted', { clientId, via: 'ops' });
  return { endedConsents };
}
