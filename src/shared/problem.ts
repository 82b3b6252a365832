/*
 * The error every API that is not Open Banking answers with: RFC 9457 problem details. Services
 * and pipeline steps throw a `Problem`; one middleware (`problem-response.ts`) renders it. The
 * `type` of each is a page of the developer portal's error reference (`/docs/problems/<slug>`).
 */

/** Every problem type we send, by slug, with its title (the same for every occurrence, RFC 9457 §3.1.3). */
export const PROBLEM_TYPES = {
  'bad-request': 'The request is malformed',
  'validation-failed': 'The request does not match the API description',
  unauthenticated: 'Credentials are missing or invalid',
  forbidden: 'The caller may not do this',
  'not-found': 'No such resource',
  'method-not-allowed': 'Method not allowed',
  conflict: 'The request conflicts with the current state',
  gone: 'This API version has been retired',
  'payload-too-large': 'The request is too large',
  'unsupported-media-type': 'Unsupported media type',
  'rate-limited': 'Rate limit exceeded',
  'quota-exceeded': 'Quota exhausted',
  'upstream-unavailable': 'The service behind this API is unavailable',
  'upstream-timeout': 'The service behind this API did not answer in time',
  'part-failed': 'A part of this composite route failed',
  unavailable: 'Temporarily unavailable',
  'internal-error': 'Internal error',
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

/**
 * A failure to answer as problem details. `detail` is client-safe (never internal state); 5xx
 * problems are not exposed, so only their title leaves us, and what happened goes in `cause`.
 * `extensions` are extra members (RFC 9457 §3.2), e.g. `errors` for a failed validation.
 * `expose` lets a 5xx whose detail and extensions were written for the caller say them.
 */
export class Problem extends Error {
  readonly status: number;
  readonly slug: ProblemSlug;
  readonly detail: string | undefined;
  readonly expose: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(status: number, slug: ProblemSlug, detail?: string, options: { cause?: unknown; headers?: Record<string, string>; extensions?: Record<string, unknown>; expose?: boolean } = {}) {
    super(detail ?? PROBLEM_TYPES[slug], options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'Problem';
    this.status = status;
    this.slug = slug;
    this.detail = detail;
    this.expose = options.expose ?? status < 500;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}
