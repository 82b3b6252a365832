import { parseDocument } from 'yaml';

import { issuePath } from '../catalogue/catalogue.schema.ts';
import { gatewayFileSchema, type GatewayFile } from './gateway-file.schema.ts';

/** A declarative file that cannot be read: each line names where (`file:line:column`, or a field path) and what. */
export class GatewayFileInvalid extends Error {
  override name = 'GatewayFileInvalid';
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`${source} is not a valid gateway file:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

/**
 * Reads a declarative gateway file (YAML 1.2; JSON is YAML too). Syntax errors and duplicate keys
 * are reported with their line and column, content errors with the path of the field
 * (`apis[0].routes[1].pathTemplate`); all of them at once, so one run shows everything to fix.
 */
export function readGatewayFile(text: string, source: string): GatewayFile {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new GatewayFileInvalid(source, document.errors.map((error) => {
      const at = error.linePos?.[0];
      return `${at ? `line ${at.line}, column ${at.col}` : 'syntax'}: ${error.message.split('\n')[0]}`;
    }));
  }
  const parsed = gatewayFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) throw new GatewayFileInvalid(source, parsed.error.issues.map((issue) => `${issuePath(issue.path) || '(top level)'}: ${issue.message}`));
  return parsed.data;
}
