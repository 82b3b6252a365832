import { verifyAuditChain } from '../audit/verify-audit-chain.ts';
import { CommandFailed, type Command } from './command.ts';
import { formatTable } from './format-table.ts';
import { withStore } from './with-store.ts';

export const auditVerifyCommand: Command = {
  words: ['audit', 'verify'],
  arguments: [],
  flags: {},
  summary: 'check the audit log\'s hash chain for changed, removed or inserted entries',
  description: [
    'Walks the audit log in sequence order and recomputes its hash chain. Prints OK with the number of entries and the head (the last entry\'s sequence number and hash), or each problem found, and then exits with 1.',
    'CHANGED: an entry\'s contents do not match its hash. REMOVED: entries are missing, in the middle or at the tail. INSERTED: an entry out of sequence or past the head. BROKEN_LINK: an entry does not link to the one before it, so something between them was removed, inserted or replaced and the chain rewritten after it.',
    'Someone able to rewrite the tables with DDL can recompute every hash. Keep the head hash printed here somewhere outside the database: if a later run does not pass through it (the same hash at the same sequence number), the chain was rewritten.',
  ].join('\n\n'),
  async run({ config, print, events, clock }) {
    const report = await withStore({ config, events, clock }, (db) => verifyAuditChain(db));
    if (report.problemCount === 0) {
      print(`OK: ${report.count} entries, head ${report.head.seq} ${report.head.hash}`);
      return;
    }
    print(formatTable(['PROBLEM', 'ENTRY', 'WHAT'], report.problems.map((problem) => [problem.kind.toUpperCase(), String(problem.seq), problem.message])));
    const unlisted = report.problemCount - report.problems.length;
    if (unlisted > 0) print(`… and ${unlisted} more`);
    throw new CommandFailed(`the audit chain has ${report.problemCount} problem${report.problemCount === 1 ? '' : 's'} (${report.count} entries read)`);
  },
};
