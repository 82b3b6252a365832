import type { Clock } from '../shared/clock.ts';

/*
 * What an audit entry is, from what a caller records to what the chain hashes. Entries are made
 * storable when they are recorded, not when they are written: PostgreSQL refuses U+0000 in text
 * and jsonb, and a lone surrogate reaches it as U+FFFD, so such characters become U+FFFD here,
 * before hashing. What is hashed is then exactly what the store gives back, and one odd captured
 * body can never make a whole batch unwritable.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const AUDIT_KINDS = ['call', 'admin', 'event'] as const;
/** `call`: an API call through the gateway; `admin`: an admin change; `event`: a domain event. */
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** What a caller records. Subjects that do not apply are left out. */
export interface AuditEntry {
  kind: AuditKind;
  /** What happened: `GET /accounts/{AccountId}` for a call, the change for an admin entry, the event's name. */
  action: string;
  /** Who: the calling client or application, the operator, the event's actor (`system` when none). */
  actor: string;
  /** When it happened; the audit log's clock at `record` when absent. */
  at?: Date;
  apiId?: string;
  route?: string;
  applicationId?: string;
  clientId?: string;
  customerId?: string;
  consentId?: string;
  /** The HTTP status the call (or admin API request) was answered with. */
  status?: number;
  /** Anything else, as JSON (Dates become ISO strings, undefined members go): captured bodies, an admin change's before and after. */
  payload?: unknown;
}

/** An entry as it is chained and stored: every field present, null where it does not apply. */
export interface AuditFields {
  at: Date;
  kind: AuditKind;
  action: string;
  actor: string;
  apiId: string | null;
  route: string | null;
  applicationId: string | null;
  clientId: string | null;
  customerId: string | null;
  consentId: string | null;
  status: number | null;
  payload: JsonValue;
}

/** A stored entry: its place in the chain, the hash of the one before, and its own. */
export interface AuditRecord extends AuditFields {
  seq: number;
  prevHash: string;
  hash: string;
}

function storableText(text: string): string {
  return text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

function storableJson(value: JsonValue): JsonValue {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, member]) => [storableText(key), storableJson(member)]));
  return value;
}

// What JSON.stringify writes for U+0000 and for a lone surrogate: only a text holding one needs its
// strings made storable (an escaped backslash followed by `u0000` matches too, and is merely
// looked at again).
const NOT_STORABLE_ESCAPE = /\\u(?:0000|d[89a-f])/i;

/** JSON as jsonb keeps it: what `JSON.stringify` makes of the value, with storable strings; `{}` for nothing. */
function toPayload(payload: unknown): JsonValue {
  const text = JSON.stringify(payload);
  if (text === undefined) return {};
  const parsed = JSON.parse(text) as JsonValue;
  return NOT_STORABLE_ESCAPE.test(text) ? storableJson(parsed) : parsed;
}

const optionalText = (text: string | undefined) => (text === undefined ? null : storableText(text));

/**
 * The entry as it will be chained, stamped by `clock` unless it says when it happened. Throws a
 * `TypeError` for an entry no store would take (an unknown kind, an invalid instant, a status that
 * is not an HTTP status): those are bugs in the caller, told at once rather than at write time.
 */
export function toAuditFields(entry: AuditEntry, clock: Clock): AuditFields {
  if (!(AUDIT_KINDS as readonly string[]).includes(entry.kind)) throw new TypeError(`audit entry kind must be one of ${AUDIT_KINDS.join(', ')}`);
  const at = entry.at ?? clock.now();
  if (Number.isNaN(at.getTime())) throw new TypeError('audit entry at must be a valid instant');
  if (entry.status !== undefined && !(Number.isInteger(entry.status) && entry.status >= 100 && entry.status <= 599)) throw new TypeError('audit entry status must be an HTTP status (100 to 599)');
  return {
    at: new Date(at.getTime()),
    kind: entry.kind,
    action: storableText(entry.action),
    actor: storableText(entry.actor),
    apiId: optionalText(entry.apiId),
    route: optionalText(entry.route),
    applicationId: optionalText(entry.applicationId),
    clientId: optionalText(entry.clientId),
    customerId: optionalText(entry.customerId),
    consentId: optionalText(entry.consentId),
    status: entry.status ?? null,
    payload: toPayload(entry.payload),
  };
}
