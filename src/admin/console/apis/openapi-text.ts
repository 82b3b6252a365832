import { parseDocument } from 'yaml';

import { defaults } from '../../../config/defaults.ts';
import { findJsonProblem } from '../../../shared/find-json-problem.ts';

/*
 * An OpenAPI document an operator pasted or uploaded, as JSON or YAML (YAML 1.2: JSON is YAML
 * too), read into the JSON value the catalogue stores. A syntax error or a duplicate key is
 * reported with its line and column; what YAML has and JSON lacks is made JSON (a round trip),
 * and text PostgreSQL cannot hold or nesting past the edge's limit is refused, as the edge
 * refuses it in a JSON body.
 */

export type OpenApiTextReading = { ok: true; document: Record<string, unknown> } | { ok: false; message: string };

export function readOpenApiText(text: string): OpenApiTextReading {
  let value: unknown;
  try {
    const parsed = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    const [error] = parsed.errors;
    if (error) {
      const at = error.linePos?.[0];
      return { ok: false, message: `The OpenAPI document cannot be read${at ? ` (line ${at.line}, column ${at.col})` : ''}: ${error.message.split('\n')[0]}` };
    }
    value = JSON.parse(JSON.stringify(parsed.toJS({ maxAliasCount: 100 }) ?? null));
  } catch {
    // The parser's own limits: aliases that would expand too far, nesting that overflows the stack.
    return { ok: false, message: 'The OpenAPI document cannot be read: it nests too deep or expands too many YAML aliases' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, message: 'The OpenAPI document must be an object, with an "openapi" member' };
  const problem = findJsonProblem(value, defaults.maxJsonDepth);
  if (problem) return { ok: false, message: problem.reason === 'depth' ? `The OpenAPI document nests deeper than ${defaults.maxJsonDepth} levels` : `The OpenAPI document holds text that cannot be stored${problem.path ? ` at ${problem.path}` : ''}` };
  return { ok: true, document: value as Record<string, unknown> };
}
