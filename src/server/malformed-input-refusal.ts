import { defaults } from '../config/defaults.ts';
import type { ObErrorDetail } from '../openbanking/ob-error.ts';
import type { MalformedInput } from '../shared/find-malformed-input.ts';
import type { Refusal } from './refusal.ts';

// RFC 6749 §5.2 allows these characters in error_description; a name is shown only when made of them.
const SHOWABLE = /^[\x20\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

// Parameters that identify the client (RFC 6749 §2.3, RFC 7523 §2.2).
const CLIENT_PARAMETERS = new Set(['client_id', 'client_assertion']);

function subjectOf(problem: MalformedInput): string {
  const name = SHOWABLE.test(problem.name) ? ` ${problem.name}` : '';
  switch (problem.in) {
    case 'path':
      return 'the request path';
    case 'query':
      return `query parameter${name}`;
    case 'form':
      return `parameter${name}`;
    case 'header':
      return `header${name}`;
    case 'json':
      // Depth belongs to the body as a whole; the path down to it is as long as the nesting.
      return problem.name && problem.reason === 'text' ? `body field${name}` : 'the request body';
    case 'body':
      return 'the request body';
  }
}

function obErrorOf(problem: MalformedInput, message: string): ObErrorDetail {
  const path = SHOWABLE.test(problem.name) ? { Path: problem.name } : {};
  // An unreadable id names no resource of ours: answered as any unknown id is.
  if (problem.in === 'path') return { ErrorCode: 'UK.OBIE.Resource.NotFound', Message: 'The requested resource was not found' };
  if (problem.reason === 'depth' || problem.in === 'body') return { ErrorCode: 'UK.OBIE.Resource.InvalidFormat', Message: message };
  if (problem.in === 'header') return { ErrorCode: 'UK.OBIE.Header.Invalid', Message: message, ...path };
  return { ErrorCode: 'UK.OBIE.Field.Invalid', Message: message, ...path };
}

/** A 400 for `problem`, in words for each error family. */
export function malformedInputRefusal(problem: MalformedInput): Refusal {
  const subject = subjectOf(problem);
  const description = problem.reason === 'depth'
    ? `${subject} is nested more than ${defaults.maxJsonDepth} levels deep`
    : `${subject} must be UTF-8 text without NUL or unpaired surrogate characters`;
  const message = `${description[0]!.toUpperCase()}${description.slice(1)}`;
  const unknownClient = (problem.in === 'query' || problem.in === 'form') && CLIENT_PARAMETERS.has(problem.name);
  return { status: 400, description, obErrors: [obErrorOf(problem, message)], ...(unknownClient ? { unknownClient } : {}) };
}
