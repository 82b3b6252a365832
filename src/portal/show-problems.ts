import type { Middleware } from 'koa';

import { PROBLEM_TYPES, type ProblemSlug } from '../shared/problem.ts';
import { PortalPageError } from './portal-page-error.ts';
import type { PortalDependencies } from './portal.deps.ts';
import { PROBLEM_REFERENCE } from './problem-reference.ts';
import { renderPortalPage } from './render-portal-page.ts';

const isSlug = (slug: string): slug is ProblemSlug => Object.hasOwn(PROBLEM_TYPES, slug);

/** `GET /docs/problems`: every problem type our APIs answer with. */
export function showProblems(deps: PortalDependencies): Middleware {
  return async function showProblems(ctx) {
    const problems = (Object.keys(PROBLEM_TYPES) as ProblemSlug[]).map((slug) => ({ slug, title: PROBLEM_TYPES[slug], ...PROBLEM_REFERENCE[slug] }));
    await renderPortalPage(ctx, 'portal/problems', { section: 'guides', problems, typeBase: deps.problemTypeBase });
  };
}

/** `GET /docs/problems/{slug}`: one problem type, the page its `type` URI names. */
export function showProblem(deps: PortalDependencies): Middleware {
  return async function showProblem(ctx) {
    const slug = ctx.params['slug']!;
    if (!isSlug(slug)) throw new PortalPageError(404, 'There is no such problem type.');
    const reference = PROBLEM_REFERENCE[slug];
    const example = { type: `${deps.problemTypeBase}${slug}`, title: PROBLEM_TYPES[slug], status: reference.statuses[0], detail: '…', instance: 'urn:uuid:…' };
    await renderPortalPage(ctx, 'portal/problem', { section: 'guides', slug, title: PROBLEM_TYPES[slug], reference, example: JSON.stringify(example, null, 2), typeBase: deps.problemTypeBase });
  };
}
