import { setFlagsFromString } from 'node:v8';

/**
 * Keeps the embedded store's WebAssembly (PGlite, an 8 MB module) on V8's baseline compiler, for
 * a process that lives seconds: the operator's CLI, and the test suite's stores. Left to tier up,
 * V8 compiles much of the module again with its optimizing compiler on background threads once
 * PGlite's start-up has run it hot, which on 2 cores costs more than it saves: `clients list` took
 * 2.9 s instead of 1.1; four database-heavy test files 48 to 62 s of CPU instead of 39; global
 * setup 11 to 14 s instead of 8 to 10. The work is the same; long, heavy work on PGlite runs about
 * a tenth slower (a 1,000-customer seed did), so the server and the sandbox seed keep the default.
 *
 * Call it before the first PGlite is made. (`--liftoff-only` would do the same on the command
 * line, but has no effect once V8 is running.)
 */
export function keepPgliteOnBaselineCompiler(): void {
  setFlagsFromString('--no-wasm-tier-up');
  setFlagsFromString('--no-wasm-dynamic-tiering');
}
