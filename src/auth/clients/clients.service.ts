import type { Knex } from 'knex';
import type Provider from 'oidc-provider';
import type { ClientMetadata } from 'oidc-provider';

import type { EventBus } from '../../events/event-bus.ts';
import { clientExists, deleteClient, listClients } from './client.store.ts';
import { registerClient } from './register-client.ts';

/*
 * What operators do with client registrations (the CLI now, the console and admin API later),
 * beside the partners' own RFC 7591/7592 endpoints: list, register by hand, delete. Each change is
 * announced on the bus once it is stored, as the registration endpoints' are.
 */

/** A registration as an operator lists it. */
export interface ClientSummary {
  clientId: string;
  name: string | undefined;
  authMethod: string | undefined;
  fapiProfile: string | undefined;
  /** Set for clients registered with a software statement. */
  softwareId: string | undefined;
  registeredAt: Date;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every registered client, oldest first. */
export async function listRegisteredClients(db: Knex): Promise<ClientSummary[]> {
  return (await listClients(db)).map((row) => ({
    clientId: row.client_id,
    name: text(row.metadata['client_name']),
    authMethod: text(row.metadata['token_endpoint_auth_method']),
    fapiProfile: text(row.metadata['fapi_profile']),
    softwareId: row.software_id ?? undefined,
    registeredAt: row.created_at,
  }));
}

/** `registerClientByOps` refused: the client_id is taken and replacing was not asked for. */
export class ClientAlreadyRegistered extends Error {
  override name = 'ClientAlreadyRegistered';
}

/**
 * Registers a client an operator vouches for, through the same schema and FAPI client policy as
 * dynamic registration (`registerClient`). Resolves the metadata as stored, defaults filled in.
 * Throws `ClientAlreadyRegistered` for a taken client_id unless `replace`, and oidc-provider's
 * `InvalidClientMetadata` for metadata the policy refuses.
 */
export async function registerClientByOps(context: { db: Knex; events: EventBus; provider: Provider }, metadata: ClientMetadata, options: { replace: boolean }): Promise<ClientMetadata> {
  const existed = typeof metadata.client_id === 'string' && (await clientExists(context.db, metadata.client_id));
  if (existed && !options.replace) throw new ClientAlreadyRegistered(`client ${metadata.client_id} is already registered; pass --replace to replace its metadata`);
  const stored = await registerClient(context.provider, metadata);
  context.events.emit(existed ? 'client.updated' : 'client.registered', { clientId: stored.client_id, via: 'ops' });
  return stored;
}

/** Deletes a client's registration; resolves false when there was none. */
export async function deleteClientByOps(context: { db: Knex; events: EventBus }, clientId: string): Promise<boolean> {
  const deleted = await deleteClient(context.db, clientId);
  if (deleted) context.events.emit('client.deleted', { clientId, via: 'ops' });
  return deleted;
}
