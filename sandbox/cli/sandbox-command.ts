import type { Config } from '../../src/config/config.ts';

/** What a `npm run sandbox -- <name>` command is handed. */
export interface SandboxCommandInput {
  config: Config;
  /** The arguments after the command's name. */
  args: string[];
  print(line: string): void;
  note(line: string): void;
}

export interface SandboxCommand {
  name: string;
  summary: string;
  usage: string;
  run(input: SandboxCommandInput): Promise<void>;
}

/** The command line was wrong (exit 64, as `npm run cli` does). */
export class SandboxUsageError extends Error {
  override name = 'SandboxUsageError';
}
