import type { ProblemSlug } from '../shared/problem.ts';

/*
 * The developer portal's error reference: what each RFC 9457 problem type that our APIs answer
 * with means, with which status, and what the caller can do about it. Every problem's `type` is
 * `<issuer>/docs/problems/<slug>`, which is the page made from this table; a slug without an entry
 * here does not compile.
 */

export interface ProblemReference {
  statuses: readonly number[];
  meaning: string;
  whatToDo: string;
}

export const PROBLEM_REFERENCE: Readonly<Record<ProblemSlug, ProblemReference>> = {
  'bad-request': { statuses: [400], meaning: 'The request could not be read: a malformed URL, header, query parameter or body (for example text that is not UTF-8, or JSON nested too deep).', whatToDo: 'Fix the request as `detail` says, then send it again.' },
  'validation-failed': { statuses: [400], meaning: 'The request is well formed but does not match the API\'s OpenAPI description. The `errors` member lists each field at fault, by its JSON pointer, with what was expected.', whatToDo: 'Correct the fields named in `errors`; the API\'s OpenAPI document (on its portal page) describes every field.' },
  unauthenticated: { statuses: [401], meaning: 'Credentials are missing, or not valid for this API: no API key or token, an unknown, expired or revoked one, or a token presented without the proof its binding requires. `WWW-Authenticate` says which scheme the API takes and what failed.', whatToDo: 'Send the credential the API\'s page names: an API key in `x-api-key`, or an access token (with its DPoP proof when it is DPoP-bound). A revoked key stops working within a second; use a current one.' },
  forbidden: { statuses: [403], meaning: 'The caller is known but may not do this: its token lacks a scope the route needs (`insufficient_scope`), a claim does not match the resource, the application is suspended, or it has no active subscription to a plan covering this API.', whatToDo: 'Ask for the scopes the route needs, subscribe the application to a plan, or ask the API\'s owner to reinstate it.' },
  'not-found': { statuses: [404], meaning: 'No API or resource answers at this path.', whatToDo: 'Check the path against the API\'s base URL and operations on its portal page.' },
  'method-not-allowed': { statuses: [405], meaning: 'The path exists but not for this method. `Allow` lists the methods it takes.', whatToDo: 'Use one of the methods in `Allow`.' },
  conflict: { statuses: [409], meaning: 'The request conflicts with the resource\'s current state (for example a change to something that has moved on, or a name already taken).', whatToDo: 'Read the resource again, then retry the change against its current state.' },
  gone: { statuses: [410], meaning: 'This version of the API has been retired: it no longer answers. While it was deprecated its answers carried `Deprecation`, `Sunset` and a `Link` to its successor.', whatToDo: 'Move to the successor version named on the API\'s portal page and in the changelog.' },
  'payload-too-large': { statuses: [413], meaning: 'The request body is larger than the gateway accepts (1 MiB), as declared or as counted while it streamed.', whatToDo: 'Send a smaller body, or split the request.' },
  'unsupported-media-type': { statuses: [415], meaning: 'The body\'s `Content-Type` is not one this operation accepts.', whatToDo: 'Send the media type the operation\'s OpenAPI description gives, usually `application/json`.' },
  'rate-limited': { statuses: [429], meaning: 'A rate limit of the application\'s plan or of the route was reached: too many calls in the current second or minute. `Retry-After` says when the window resets; the refused call was not counted.', whatToDo: 'Wait for `Retry-After` seconds, and pace calls by the `RateLimit` and `RateLimit-Policy` headers every answer carries.' },
  'quota-exceeded': { statuses: [429], meaning: 'The plan\'s daily or monthly quota is used up. `Retry-After` says when it renews (UTC midnight, or the first of the month).', whatToDo: 'Wait for the quota to renew, or move the application to a plan with a larger quota.' },
  'upstream-unavailable': { statuses: [502, 503], meaning: 'The service behind the API could not be reached (502), or has failed repeatedly and is being given time to recover (503, with `Retry-After`).', whatToDo: 'Retry after `Retry-After` seconds; an idempotent call may be retried at once on a 502.' },
  'upstream-timeout': { statuses: [504], meaning: 'The service behind the API did not answer in time.', whatToDo: 'Retry later; if a write may have been applied, read the resource before sending it again.' },
  'part-failed': { statuses: [502], meaning: 'A composite route calls several services; a part it needs failed, so no combined answer could be made.', whatToDo: 'Retry later.' },
  unavailable: { statuses: [503], meaning: 'The platform is temporarily unable to answer (for example its database or rate-limit counters cannot be reached). Nothing was done; `Retry-After` says when to try again.', whatToDo: 'Retry after `Retry-After` seconds.' },
  'internal-error': { statuses: [500], meaning: 'Something failed on our side. The `instance` member identifies the occurrence in our logs.', whatToDo: 'Retry later; if it persists, quote the `instance` when you contact us.' },
};
