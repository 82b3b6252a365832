import { X509Certificate } from 'node:crypto';

import type { Knex } from 'knex';

import type { Logger } from '../../observability/logger.ts';
import { certificateThumbprint } from '../../pki/certificate-thumbprint.ts';
import type { Clock } from '../../shared/clock.ts';
import { ExpiringCache } from '../../shared/expiring-cache.ts';
import { recordClientCertificate } from './client-certificate.store.ts';

/*
 * Keeps the transport certificates clients authenticate with (`oidc_client_certificates`), so that
 * operations see a partner's certificate expiring before its calls fail: it is otherwise seen only
 * in a TLS handshake. Sightings come from the token endpoint, PAR and registration, the hot path,
 * so a sighting costs a cached thumbprint and a map lookup: the store is written only on the first
 * sighting of a (client, certificate) pair in this process and then at most once per
 * `refreshMs` (that bounds how stale "last seen" is), never awaited by the request. A failed write
 * is logged and counted and never fails the request; the pair is forgotten so that its next
 * sighting tries again. Writes still pending at shutdown are awaited.
 */

export interface ClientCertificateSightingOptions {
  db: Knex;
  clock: Clock;
  logger: Logger;
  /** Milliseconds between writes of one pair's last sighting. */
  refreshMs: number;
  /** Pairs remembered; past it the oldest is forgotten (and written again when next seen). */
  maxRemembered: number;
  /** Writes in flight at once; past it a sighting is shed (counted) and written at a later one. */
  maxPendingWrites: number;
}

/** What the sightings came to, for metrics and tests. */
export interface ClientCertificateSightingStats {
  written: number;
  failures: number;
  shed: number;
}

export interface ClientCertificateSightings {
  /** Notes that `clientId` authenticated with `certificatePem`. Never throws, never waits. */
  sight(clientId: string, certificatePem: string): void;
  stats(): ClientCertificateSightingStats;
  /** Waits for the writes in flight. */
  close(): Promise<void>;
}

/**
 * Builds the process's recorder of client certificates.
 *
 * @example
 * const sightings = clientCertificateSightings({ db, clock, logger, refreshMs: 3_600_000, maxRemembered: 10_000, maxPendingWrites: 100 });
 * sightings.sight(client.clientId, pem);
 */
export function clientCertificateSightings(options: ClientCertificateSightingOptions): ClientCertificateSightings {
  const { db, clock, logger } = options;
  const remembered = new ExpiringCache<string, true>({ maxEntries: options.maxRemembered, now: () => clock.now().getTime() });
  const pending = new Set<Promise<void>>();
  const stats: ClientCertificateSightingStats = { written: 0, failures: 0, shed: 0 };

  async function write(key: string, clientId: string, thumbprint: string, certificatePem: string): Promise<void> {
    try {
      const certificate = new X509Certificate(certificatePem);
      await recordClientCertificate(db, {
        client_id: clientId, thumbprint,
        subject_dn: certificate.subject.split('\n').join(', '), issuer_dn: certificate.issuer.split('\n').join(', '),
        not_before: new Date(certificate.validFrom), not_after: new Date(certificate.validTo),
      }, clock.now());
      stats.written += 1;
    } catch (error) {
      stats.failures += 1;
      remembered.delete(key);
      logger.error({ err: error, clientId, thumbprint }, 'client_certificate.record_failed');
    }
  }

  return {
    sight(clientId, certificatePem) {
      let thumbprint: string;
      try {
        thumbprint = certificateThumbprint(certificatePem);
      } catch (error) {
        // oidc-provider has accepted the certificate already; one it cannot parse is not ours to refuse.
        logger.warn({ err: error, clientId }, 'client_certificate.unreadable');
        return;
      }
      const key = `${clientId} ${thumbprint}`;
      if (remembered.get(key)) return;
      if (pending.size >= options.maxPendingWrites) {
        stats.shed += 1;
        logger.warn({ clientId, thumbprint, pending: pending.size }, 'client_certificate.record_shed');
        return;
      }
      remembered.set(key, true, options.refreshMs);
      const writing = write(key, clientId, thumbprint, certificatePem).finally(() => pending.delete(writing));
      pending.add(writing);
    },
    stats: () => ({ ...stats }),
    async close() {
      await Promise.all(pending);
    },
  };
}
