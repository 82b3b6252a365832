import type { Context } from 'koa';
import { z } from 'zod';

import { USAGE_PERIODS } from '../../../portal/usage/app-usage.service.ts';

/* The Organisations section's query parameters, each given at most once, with the words a mistake is shown in. */

const once = (words: string) => z.string(`Give ${words} once`);

export const ORGANISATION_SEARCH_QUERY = z.object({
  q: once('the search').trim().max(200, 'Search for at most 200 characters').optional(),
  after: once('the page').max(200, 'There is no such page').optional(),
});

export const APPLICATION_PAGE_QUERY = z.object({
  period: z.enum(Object.keys(USAGE_PERIODS) as [keyof typeof USAGE_PERIODS], 'Choose a period of 7d or 30d').optional(),
});

/** The page's query as `schema` reads it; a 400 page naming the first mistake otherwise. */
export function readConsoleQuery<T extends z.ZodType>(ctx: Context, schema: T): z.output<T> {
  const read = schema.safeParse(ctx.query);
  if (!read.success) ctx.throw(400, read.error.issues[0]!.message);
  return read.data;
}
