import type { Middleware } from 'koa';
import { z } from 'zod';

import { issuePath } from '../../gateway/catalogue/catalogue.schema.ts';
import { Problem } from '../../shared/problem.ts';

/** Lists answer 50 items unless asked for fewer or more, never more than 200. */
export const PAGE_LIMITS = { default: 50, max: 200 } as const;

/** The cursor a page hands out is the last id it holds, base64url-encoded: opaque to callers. */
export const encodeCursor = (id: string) => Buffer.from(id).toString('base64url');

const cursor = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a cursor from a previous page').transform((value) => Buffer.from(value, 'base64url').toString('utf8'));

/**
 * Reads a list's query: `limit` (1-200, default 50), `cursor` (the `nextCursor` of the page
 * before) and the endpoint's own filters. Any other parameter, or one given twice, is a 400:
 * a misspelt filter must not silently list everything.
 */
export function readListQuery(filters: readonly string[] = []): Middleware {
  const schema = z.strictObject({
    limit: z.coerce.number().int().min(1).max(PAGE_LIMITS.max).default(PAGE_LIMITS.default),
    cursor: cursor.optional(),
    ...Object.fromEntries(filters.map((name) => [name, z.string().min(1).max(200).optional()])),
  });
  return async function readListQuery(ctx, next) {
    const parsed = schema.safeParse(ctx.query);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({ path: issuePath(issue.path) || 'query', message: issue.message }));
      throw new Problem(400, 'validation-failed', 'The query parameters are not valid', { extensions: { errors } });
    }
    const { limit, cursor: after, ...given } = parsed.data as { limit: number; cursor?: string } & Record<string, string | undefined>;
    ctx.state.adminList = { page: { limit, after }, filters: given };
    await next();
  };
}
