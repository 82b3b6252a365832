import { isAbsolute, relative } from 'node:path';

/**
 * What the demo prints, on stdout: a line, or a server's JSON under a heading saying which call
 * answered it, as it came, so that a partner can hold it against the standard.
 */

export function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function show(heading: string, value: unknown): void {
  say(`\n${heading}`);
  say(JSON.stringify(value, null, 2));
}

/** A path as the reader would type it: relative below the working directory, else absolute. */
export function displayPath(path: string): string {
  const below = relative('.', path);
  return below === '' || below.startsWith('..') || isAbsolute(below) ? path : below;
}
