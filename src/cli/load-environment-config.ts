import { ConfigError, loadConfig, type Config } from '../config/config.ts';

/**
 * The configuration of a command-line tool (`npm run cli`, `npm run demo`), read from the
 * environment as `npm start` reads it. A bad configuration is told through `note` (every problem,
 * by variable name) and resolves undefined, for the caller to exit 78.
 */
export function loadEnvironmentConfig(note: (text: string) => void): Config | undefined {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    note(error.message);
    return undefined;
  }
}
