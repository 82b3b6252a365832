import type { Middleware } from 'koa';

import type { RegistrationDetails } from '../../auth/clients/registration-details.ts';
import type { ConsentListing } from '../../consent/consent-search.store.ts';
import type { AdminApiDependencies } from '../admin-api.deps.ts';
import { renderPage } from '../admin-render.ts';
import { readListQuery } from '../http/read-list-query.ts';
import { findConsents, revokeConsentForBank, viewConsent, type ConsentView } from '../openbanking/ob-consents.service.ts';
import { listPartners, readPartner, removePartner, setPartnerStatus } from '../openbanking/ob-partners.service.ts';

/* `/admin/v1/openbanking/clients` and `/admin/v1/openbanking/consents`: the partners' registrations and their consents, as the bank's operations manage them. One endpoint per export. */

/** A registration as the admin API writes it. */
function renderObClient(client: RegistrationDetails) {
  return {
    clientId: client.clientId, clientName: client.clientName ?? null, orgId: client.orgId ?? null, orgName: client.orgName ?? null, softwareId: client.softwareId ?? null,
    roles: client.roles, authMethod: client.authMethod ?? null, registeredAt: client.registeredAt, status: client.status, suspendedAt: client.suspendedAt,
    redirectUris: client.redirectUris, scope: client.scope ?? null, softwareStatement: client.statementClaims ?? null,
    transportCertificateSubject: client.transportSubject ?? null, senderConstraint: client.senderConstraint ?? null, jwksUri: client.jwksUri ?? null,
    keys: client.keys.map((key) => ({
      kid: key.kid ?? null, kty: key.kty ?? null, alg: key.alg ?? null, use: key.use ?? null,
      certificate: key.certificate ? { subject: key.certificate.subject, issuer: key.certificate.issuer, notBefore: key.certificate.validFrom, notAfter: key.certificate.validTo, expiresWithin30Days: key.certificate.expiresSoon } : null,
    })),
    transportCertificates: client.transportCertificates.map((certificate) => ({
      thumbprint: certificate.thumbprint, subject: certificate.subject, issuer: certificate.issuer, notBefore: certificate.validFrom, notAfter: certificate.validTo,
      firstSeenAt: certificate.firstSeenAt, lastSeenAt: certificate.lastSeenAt, expiresWithin30Days: certificate.expiresSoon, expired: certificate.expired, replaced: certificate.replaced,
    })),
    certificateWarning: client.certificateWarning ? { notAfter: client.certificateWarning.validTo, expired: client.certificateWarning.expired, certificate: client.certificateWarning.source } : null,
  };
}

function renderObConsent(consent: ConsentListing) {
  return {
    id: consent.id, kind: consent.kind, clientId: consent.client_id, clientName: consent.client_name, customerId: consent.customer_id, customerName: consent.customer_name,
    status: consent.status, createdAt: consent.created_at, statusUpdatedAt: consent.status_updated_at, expiresAt: consent.expires_at,
  };
}

function renderObConsentView(view: ConsentView) {
  const { consent } = view;
  return {
    id: consent.id, kind: consent.kind, clientId: consent.client_id, clientName: view.clientName ?? null, customerId: consent.customer_id, customerName: view.customerName ?? null,
    status: consent.status, createdAt: consent.created_at, statusUpdatedAt: consent.status_updated_at, expiresAt: consent.expires_at,
    accountIds: consent.account_ids, revocable: view.revocable,
    history: view.history.map((change) => ({ status: change.status, actor: change.actor, reason: change.reason ?? null, changedAt: change.changed_at })),
  };
}

export function listObClientsEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readListQuery(), async function handleListObClients(ctx) {
    const { catalogue } = deps;
    const page = await listPartners(catalogue.db, catalogue.clock.now(), ctx.state.adminList!.page);
    ctx.body = renderPage(page, renderObClient);
  }];
}

export function readObClientEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadObClient(ctx) {
    ctx.body = renderObClient(await readPartner(deps.catalogue.db, ctx.params['clientId']!, deps.catalogue.clock.now()));
  }];
}

/** `POST /admin/v1/openbanking/clients/{clientId}/suspend|reactivate`: no body. */
export function setObClientStatusEndpoint(deps: AdminApiDependencies, status: 'active' | 'suspended'): Middleware[] {
  return [async function handleSetObClientStatus(ctx) {
    ctx.body = renderObClient(await setPartnerStatus(deps.catalogue, ctx.params['clientId']!, status));
  }];
}

export function removeObClientEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleRemoveObClient(ctx) {
    ctx.body = await removePartner(deps.catalogue, deps.revokeGrant, ctx.params['clientId']!);
  }];
}

export function listObConsentsEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [readListQuery(['customer', 'clientId', 'kind', 'status', 'createdFrom', 'createdTo']), async function handleListObConsents(ctx) {
    const { page, filters } = ctx.state.adminList!;
    ctx.body = renderPage(await findConsents(deps.catalogue.db, filters, page), renderObConsent);
  }];
}

export function readObConsentEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleReadObConsent(ctx) {
    ctx.body = renderObConsentView(await viewConsent(deps.catalogue.db, ctx.params['consentId']!));
  }];
}

export function revokeObConsentEndpoint(deps: AdminApiDependencies): Middleware[] {
  return [async function handleRevokeObConsent(ctx) {
    ctx.body = renderObConsentView(await revokeConsentForBank(deps.catalogue, deps.revokeGrant, ctx.params['consentId']!, ctx.state.adminCaller!.actor));
  }];
}
