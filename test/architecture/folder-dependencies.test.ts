import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';

/*
 * The shape DESIGN.md asks for, checked on every run: each part of `src/` (its first folder) may
 * depend on others, but never in a circle, and `src/` never imports `sandbox/` (the sandbox plugs
 * in through `BANK_INTEGRATION`).
 */

const ROOT = resolve(import.meta.dirname, '../..');
const IMPORT = /(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** `src/consent/x.ts` -> `src/consent`; `sandbox/y.ts` -> `sandbox`; `src/main.ts` -> `src`. */
function partOf(file: string): string {
  const [top, second, ...rest] = relative(ROOT, file).split('/');
  return top === 'src' && rest.length > 0 ? `${top}/${second}` : top!;
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => resolve(dirname(file), match[1]!));
}

const edges = new Map<string, Map<string, string>>();
for (const file of [...sourceFiles('src'), ...sourceFiles('sandbox')]) {
  for (const target of importsOf(file)) {
    const [from, to] = [partOf(file), partOf(target)];
    if (from === to) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    edges.get(from)!.set(to, `${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
  }
}

/** A path of parts from `start` back to itself, or undefined. */
function cycleFrom(start: string): string[] | undefined {
  const stack: Array<{ part: string; path: string[] }> = [{ part: start, path: [start] }];
  const seen = new Set<string>();
  while (stack.length) {
    const { part, path } = stack.pop()!;
    for (const next of edges.get(part)?.keys() ?? []) {
      if (next === start) return [...path, next];
      if (!seen.has(next)) {
        seen.add(next);
        stack.push({ part: next, path: [...path, next] });
      }
    }
  }
  return undefined;
}

test('no two parts depend on each other, directly or round a longer circle', () => {
  for (const part of edges.keys()) {
    const cycle = cycleFrom(part);
    if (!cycle) continue;
    const witnesses = cycle.slice(1).map((to, index) => edges.get(cycle[index]!)!.get(to));
    assert.fail(`folder cycle ${cycle.join(' -> ')}:\n  ${witnesses.join('\n  ')}`);
  }
});

test('src/ never imports sandbox/', () => {
  const offenders = [...edges].filter(([from]) => from.startsWith('src')).flatMap(([, to]) => (to.has('sandbox') ? [to.get('sandbox')] : []));
  assert.deepEqual(offenders, []);
});
