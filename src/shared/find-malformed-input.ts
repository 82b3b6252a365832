import type { IncomingHttpHeaders } from 'node:http';

import { findJsonProblem } from './find-json-problem.ts';
import { isPlainJsonText } from './plain-json-text.ts';
import { decodeComponent, decodeUtf8, isStorableText } from './storable-text.ts';

/** A request's inputs as they arrived, before any parser or endpoint has read them. */
export interface RequestInput {
  /** Still percent-encoded (Koa's `ctx.path`). */
  path: string;
  /** Still percent-encoded (Koa's `ctx.querystring`). */
  query: string;
  headers: IncomingHttpHeaders;
  /** A body of a kind the edge reads, already decoded from UTF-8. */
  body?: { kind: 'form' | 'json' | 'jwt'; text: string };
}

/** The first input of a request that no endpoint should read. */
export interface MalformedInput {
  in: 'path' | 'query' | 'header' | 'form' | 'json' | 'body';
  /** The parameter or header name, or the JSON path in a JSON body; `''` for the path or body as a whole. */
  name: string;
  /** `text`: not UTF-8, or a NUL or unpaired surrogate (`isStorableText`); `depth`: JSON nested too deep. */
  reason: 'text' | 'depth';
}

type Reason = MalformedInput['reason'];

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/**
 * A compact JWS carries JSON that its verifier parses and the endpoint then stores or walks (a
 * client assertion's `sub` and `jti`, a request object's claims, a DPoP proof). Anything dotted
 * whose first part is not a JSON object is some other value (a state, a nonce): not judged here.
 */
function jwsProblem(jws: string, maxDepth: number): Reason | undefined {
  const [header = '', payload = ''] = jws.split('.');
  const headerText = decodeUtf8(Buffer.from(header, 'base64url'));
  const payloadText = decodeUtf8(Buffer.from(payload, 'base64url'));
  if (headerText !== undefined && payloadText !== undefined && isStorableText(headerText) && isStorableText(payloadText) && isPlainJsonText(headerText, maxDepth) && isPlainJsonText(payloadText, maxDepth)) return undefined;
  const joseHeader = headerText === undefined ? undefined : parseJson(headerText);
  if (typeof joseHeader?.value !== 'object' || joseHeader.value === null || Array.isArray(joseHeader.value)) return undefined;
  const headerProblem = findJsonProblem(joseHeader.value, maxDepth);
  if (headerProblem) return headerProblem.reason;
  if (payloadText === undefined) return 'text';
  const claims = parseJson(payloadText);
  if (claims) return findJsonProblem(claims.value, maxDepth)?.reason;
  return isStorableText(payloadText) ? undefined : 'text';
}

/** JSON inside a value: a JSON parameter (`claims`, `authorization_details`) or a compact JWS. */
function embeddedProblem(value: string, maxDepth: number): Reason | undefined {
  if (COMPACT_JWS.test(value)) return jwsProblem(value, maxDepth);
  const json = /^\s*[[{]/.test(value) && !isPlainJsonText(value, maxDepth) ? parseJson(value) : undefined;
  return json && findJsonProblem(json.value, maxDepth)?.reason;
}

/** `a=1&b=2`, as a query string or an urlencoded body (WHATWG URL: `+` is a space). */
function parameterProblem(pairs: string, where: 'query' | 'form', maxDepth: number): MalformedInput | undefined {
  for (const pair of pairs.split('&')) {
    const at = pair.indexOf('=');
    const rawName = at < 0 ? pair : pair.slice(0, at);
    const name = decodeComponent(rawName, true);
    const value = decodeComponent(at < 0 ? '' : pair.slice(at + 1), true);
    if (name === undefined || !isStorableText(name)) return { in: where, name: rawName, reason: 'text' };
    if (value === undefined || !isStorableText(value)) return { in: where, name, reason: 'text' };
    const reason = embeddedProblem(value, maxDepth);
    if (reason) return { in: where, name, reason };
  }
  return undefined;
}

function bodyProblem(body: NonNullable<RequestInput['body']>, maxDepth: number): MalformedInput | undefined {
  switch (body.kind) {
    case 'form':
      return parameterProblem(body.text, 'form', maxDepth);
    case 'json': {
      if (isPlainJsonText(body.text, maxDepth)) return undefined;
      // Text that is not JSON is left for the endpoint to refuse in its own words.
      const json = parseJson(body.text);
      const problem = json && findJsonProblem(json.value, maxDepth);
      return problem ? { in: 'json', name: problem.path, reason: problem.reason } : undefined;
    }
    case 'jwt': {
      const reason = COMPACT_JWS.test(body.text.trim()) ? jwsProblem(body.text.trim(), maxDepth) : undefined;
      return reason ? { in: 'body', name: '', reason } : undefined;
    }
  }
}

/**
 * Finds the first input that PostgreSQL could not store as it is (`isStorableText`: a NUL, an
 * unpaired surrogate, bytes that are not UTF-8, raw or percent-encoded) or JSON nested more than
 * `maxDepth` deep, which recursive code (JSON.stringify, canonical hashing) overflows the stack on:
 * in the path's segments, the query's and an urlencoded body's names and values, a JSON body, and
 * the JSON inside values (JSON parameters, compact JWSs in parameters, headers and
 * `application/jwt` bodies). Other header values need no look: Node's parser refuses control
 * characters in them (RFC 9110 §5.5), and it reads their other bytes as Latin-1, which is all text.
 */
export function findMalformedInput(input: RequestInput, maxDepth: number): MalformedInput | undefined {
  for (const segment of input.path.split('/')) {
    const decoded = decodeComponent(segment, false);
    if (decoded === undefined || !isStorableText(decoded)) return { in: 'path', name: '', reason: 'text' };
  }
  const query = input.query ? parameterProblem(input.query, 'query', maxDepth) : undefined;
  if (query) return query;
  for (const [name, value] of Object.entries(input.headers)) {
    for (const item of Array.isArray(value) ? value : [value ?? '']) {
      const reason = COMPACT_JWS.test(item) ? jwsProblem(item, maxDepth) : undefined;
      if (reason) return { in: 'header', name, reason };
    }
  }
  return input.body && bodyProblem(input.body, maxDepth);
}
