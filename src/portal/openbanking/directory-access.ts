import { Problem } from '../../shared/problem.ts';
import { PortalPageError } from '../portal-page-error.ts';
import { findSoftwareStatement, type SoftwareStatementRow } from './open-banking.store.ts';
import type { OpenBankingOnboarding, OpenBankingPagesDependencies } from './open-banking-pages.deps.ts';

/* What every Open Banking onboarding action starts from: the directory, the application's statement, the directory's refusals as pages. */

const NO_DIRECTORY = 'This bank has no sandbox directory to onboard with from the portal. Register your application by DCR with a software statement from your Open Banking directory: see the Open Banking guide.';
const NO_STATEMENT = 'The application has no software statement yet: create one first.';

/** The sandbox directory and registration endpoint, or a 404 page where the bank has no directory. */
export function onboardingOf(deps: Pick<OpenBankingPagesDependencies, 'openBanking'>): OpenBankingOnboarding {
  if (!deps.openBanking) throw new PortalPageError(404, NO_DIRECTORY);
  return deps.openBanking;
}

/** The application's software statement, or a 409 page when it has none. */
export async function statementOf(deps: Pick<OpenBankingPagesDependencies, 'db'>, applicationId: string): Promise<SoftwareStatementRow> {
  const row = await findSoftwareStatement(deps.db, applicationId);
  if (!row) throw new PortalPageError(409, NO_STATEMENT);
  return row;
}

/** Calls the directory; its refusal (a 4xx `Problem`) becomes a 409 page in its own words. */
export async function atDirectory<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Problem && error.status < 500) throw new PortalPageError(409, `The sandbox directory refused: ${error.message}`);
    throw error;
  }
}
