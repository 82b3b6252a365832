import type { Knex } from 'knex';

import { verifyAuditChain, type AuditChainReport } from './verify-audit-chain.ts';

/*
 * Verification on request (the console's button, the admin API): the chain is walked in parts of
 * at most 100,000 entries, each in one request, so that no request outlives its timeout however
 * long the chain grows (the listeners' request timeout is 30 s). Measured on 100,000 entries: about
 * 4 s on PGlite and 2 s on PostgreSQL on an idle machine, 13 s and 5 to 9 s on a loaded one (two
 * cores, load 12), the event loop let through between pages of 250 (PGlite answers in this thread
 * and would otherwise hold it for the whole walk); its longest stall then was 250 to 300 ms.
 */

/** Entries one request walks at most: a longer chain is verified in parts, each going on after the last. */
export const AUDIT_VERIFY_PART_ENTRIES = 100_000;

const PAGE_SIZE = 250;

/** Walks the chain from the start, or on `after` the seq where an earlier part stopped. */
export function verifyAuditChainPart(db: Knex, after: number | undefined, maxEntries = AUDIT_VERIFY_PART_ENTRIES): Promise<AuditChainReport> {
  return verifyAuditChain(db, { pageSize: Math.min(PAGE_SIZE, maxEntries), maxEntries, ...(after === undefined ? {} : { after }) });
}
