import { isStorableText } from './storable-text.ts';

/** Where in a JSON value a string cannot be stored, or nesting goes past the limit. */
export interface JsonProblem {
  /** `Data.Permissions[1]`, as Open Banking writes an error's `Path`; `''` for the value itself. */
  path: string;
  /** `text`: a key or string `isStorableText` refuses; `depth`: nested deeper than the limit. */
  reason: 'text' | 'depth';
}

/**
 * Walks a parsed JSON value without recursion (so that the walk itself cannot overflow the stack)
 * and returns its first string or key that PostgreSQL cannot hold, or the first container nested
 * more than `maxDepth` deep (the value itself, when an object or array, is depth 1). A key that
 * cannot be stored is reported at its parent's path, so that the path can be shown.
 *
 * @example
 * findJsonProblem(JSON.parse('{"Risk":{"Note":"a\\u0000b"}}'), 32); // { path: 'Risk.Note', reason: 'text' }
 */
export function findJsonProblem(value: unknown, maxDepth: number): JsonProblem | undefined {
  // `enclosing`: how many objects and arrays contain the value.
  const pending: Array<{ value: unknown; path: string; enclosing: number }> = [{ value, path: '', enclosing: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: current, path, enclosing } = next;
    if (typeof current === 'string') {
      if (!isStorableText(current)) return { path, reason: 'text' };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (enclosing + 1 > maxDepth) return { path, reason: 'depth' };
    const children = Array.isArray(current)
      ? current.map((item, index) => ({ value: item as unknown, path: `${path}[${index}]`, enclosing: enclosing + 1 }))
      : Object.entries(current).map(([key, item]) => {
        if (!isStorableText(key)) return undefined;
        return { value: item as unknown, path: path ? `${path}.${key}` : key, enclosing: enclosing + 1 };
      });
    if (children.includes(undefined)) return { path, reason: 'text' };
    // Last to first, so that problems are found in document order.
    for (const child of children.reverse()) pending.push(child!);
  }
  return undefined;
}
