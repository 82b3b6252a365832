import type { Logger } from '../../observability/logger.ts';
import type { OperatorSignInDependencies } from '../operators/operator-sign-in.service.ts';

/** What the console's pages need: the operators' services, and the forms' CSRF secret. */
export interface ConsoleDependencies extends OperatorSignInDependencies {
  csrfSecret: Buffer;
  logger: Logger;
}
