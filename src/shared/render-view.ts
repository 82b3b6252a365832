import { fileURLToPath } from 'node:url';

import ejs from 'ejs';

const viewsDir = fileURLToPath(new URL('../../views/', import.meta.url));

/**
 * Renders `views/<name>.ejs`. ejs escapes `<%= %>` output; templates use `<%- %>` only for
 * partials and for markup the server itself built.
 */
export function renderView(name: string, locals: Record<string, unknown>): Promise<string> {
  return ejs.renderFile(`${viewsDir}${name}.ejs`, locals, { cache: true, strict: false, root: viewsDir }) as Promise<string>;
}
