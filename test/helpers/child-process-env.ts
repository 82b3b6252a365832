/**
 * What a process the suite starts with an environment of its own (the CLI, `node src/main.ts`)
 * keeps from the runner's: PATH, and the compile cache `npm test` sets, so that each child reads
 * the modules the suite has already type-stripped and compiled instead of doing it again (about a
 * third of a CLI command's start-up). Nothing else leaks in: each child's settings are the test's.
 */
export function childProcessEnv(): Record<string, string> {
  const { PATH, NODE_COMPILE_CACHE } = process.env;
  return { PATH: PATH ?? '', ...(NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE } : {}) };
}
