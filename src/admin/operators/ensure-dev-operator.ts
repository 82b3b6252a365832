import type { ServiceContext } from '../../events/service-context.ts';
import { createOperator, findOperator, OperatorExists } from './operators.service.ts';

/** The development console's admin, made at a development start when missing. */
export const DEV_OPERATOR_EMAIL = 'ops@portcullis.test';

/**
 * Makes sure development has an admin to sign in to the console with: `ops@portcullis.test`,
 * with the password kept in the development secrets, created when missing (another instance on
 * the same store may create it first: that is no failure). Never called in production.
 */
export async function ensureDevOperator(deps: ServiceContext, password: string): Promise<{ email: string; password: string }> {
  if (!(await findOperator(deps, DEV_OPERATOR_EMAIL))) {
    await createOperator(deps, { email: DEV_OPERATOR_EMAIL, name: 'Development admin', role: 'admin', password }, 'system').catch((error: unknown) => {
      if (!(error instanceof OperatorExists)) throw error;
    });
  }
  return { email: DEV_OPERATOR_EMAIL, password };
}
