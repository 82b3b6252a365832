import { DemoFailed } from '../demo-partner/demo-failure.ts';
import { runWalkthrough, WALKTHROUGH_CUSTOMER, WALKTHROUGH_REDIRECT_URI } from '../demo-partner/walkthrough.command.ts';
import { SandboxUsageError, type SandboxCommand } from './sandbox-command.ts';

/** `demo`: the scripted partner's whole first day against the running Portcullis (`npm run demo -- walkthrough`). */
export const demoCommand: SandboxCommand = {
  name: 'demo',
  summary: 'a scripted partner against the running Portcullis: onboards at the sandbox directory, registers, has alice approve headlessly, reads her accounts, balances and transactions through the gateway, then pays',
  usage: 'usage: npm run sandbox -- demo',
  async run({ config, args }) {
    if (args.length > 0) throw new SandboxUsageError(`demo takes no arguments: ${args.join(' ')}`);
    try {
      await runWalkthrough(config, WALKTHROUGH_CUSTOMER, WALKTHROUGH_REDIRECT_URI);
    } catch (error) {
      // The bank's own answer is what a partner needs to see, as it came.
      if (error instanceof DemoFailed && error.body !== undefined) throw new Error(`${error.message}:\n${JSON.stringify(error.body, null, 2)}`, { cause: error });
      throw error;
    }
  },
};
