import type { AccountPlan } from './account-plan.ts';
import type { JsonObject, TransactionRow } from './bank-unit.ts';
import { amountOf, creditDebitOf } from './money.ts';
import { DAY, isoOf, monthsOf, type Window } from './schedule.ts';

// A total is unsigned: its indicator says which side it adds up.
function statementAmount(type: string, minor: number, currency: string, indicator = creditDebitOf(minor)): JsonObject {
  return { CreditDebitIndicator: indicator, Type: `UK.OBIE.${type}`, Amount: amountOf(minor, currency) };
}

/**
 * A monthly statement (OBStatement2, RegularPeriodic) for each calendar month that closed before
 * as-of, and each booked transaction of such a month pointed at its statement (`statement_id`,
 * and the statement's reference in the body). The month the window opens in starts at the window.
 */
export function issueStatements(plan: AccountPlan, window: Window, transactions: readonly TransactionRow[], opening: number): JsonObject[] {
  const statements: JsonObject[] = [];
  let balance = opening;
  let next = 0;
  for (const month of monthsOf(window)) {
    const end = new Date(month);
    const closes = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() + 1, 1);
    if (closes > window.asOf) break;
    const starts = Math.max(month, window.start);
    const reference = `${new Date(month).toISOString().slice(0, 7)}-${plan.identification.identification.slice(-4)}`;
    const statementId = `${plan.accountId}-s${reference.slice(0, 7).replace('-', '')}`;
    const previous = balance;
    let credits = 0;
    let debits = 0;
    for (; next < transactions.length && Date.parse(transactions[next]!.booking_at) < closes; next++) {
      const transaction = transactions[next]!;
      if (transaction.status !== 'Booked') continue;
      transaction.statement_id = statementId;
      transaction.body['StatementReference'] = [reference];
      if (transaction.amount_minor > 0) credits += transaction.amount_minor;
      else debits -= transaction.amount_minor;
      balance += transaction.amount_minor;
    }
    statements.push({
      AccountId: plan.accountId,
      StatementId: statementId,
      StatementReference: reference,
      Type: 'RegularPeriodic',
      StartDateTime: isoOf(starts),
      EndDateTime: isoOf(closes - 1000),
      CreationDateTime: isoOf(closes + DAY + 2 * 3_600_000),
      StatementAmount: [
        statementAmount('PreviousClosingBalance', previous, plan.currency),
        statementAmount('ClosingBalance', balance, plan.currency),
        statementAmount('TotalCredits', credits, plan.currency, 'Credit'),
        statementAmount('TotalDebits', debits, plan.currency, 'Debit'),
        ...(plan.creditLine === null ? [] : [statementAmount('CreditLimit', plan.creditLine, plan.currency, 'Credit')]),
      ],
    });
  }
  return statements;
}
