import type { EventBus } from '../events/event-bus.ts';
import type { DomainEvent, EventName } from '../events/event-catalogue.ts';
import type { AuditEntry } from './audit-entry.ts';
import type { AuditLog } from './audit-log.ts';

// Payload members that name an entry's subjects, where an event carries them.
const SUBJECTS = ['applicationId', 'clientId', 'customerId', 'consentId'] as const;

/** An event as an audit entry: its name as the action, the bus's instant, its payload whole. */
function toAuditEntry(event: DomainEvent): AuditEntry {
  const payload: Record<string, unknown> = event.payload;
  const text = (key: string) => (typeof payload[key] === 'string' ? payload[key] : undefined);
  const entry: AuditEntry = { kind: 'event', action: event.name, actor: text('actor') ?? 'system', at: event.at, payload };
  for (const subject of SUBJECTS) {
    const value = text(subject);
    if (value !== undefined) entry[subject] = value;
  }
  return entry;
}

/**
 * Records every event of `names` on the bus as an audit entry of kind `event`, with the payload's
 * `actor` as its actor (`system` for events that name none) and the ids it carries as subjects;
 * events carried from another instance are left to it. Returns the function that stops listening.
 *
 * Events reach the bus after their change committed, and `record` queues: an instance that dies
 * before its next flush loses the entries it held. Admin changes that must never be lost belong
 * in the change's own transaction (an outbox), not here.
 *
 * @example
 * const stop = auditDomainEvents(events, audit, ['consent.status_changed', 'api_key.revoked', 'application.status_changed']);
 */
export function auditDomainEvents(bus: EventBus, audit: Pick<AuditLog, 'record'>, names: readonly EventName[]): () => void {
  // An event another instance emitted is that instance's to record: the chain holds it once.
  const stops = names.map((name) => bus.on(name, (event) => {
    if (!event.remote) audit.record(toAuditEntry(event));
  }));
  return () => {
    for (const stop of stops) stop();
  };
}
