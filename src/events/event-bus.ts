import type { Clock } from '../shared/clock.ts';
import type { DomainEvent, DomainEvents, EventName } from './event-catalogue.ts';

export type EventListener<N extends EventName> = (event: DomainEvent<N>) => void | Promise<void>;

/** The in-process bus domain events travel on (`event-catalogue.ts` lists them). */
export interface EventBus {
  /**
   * Hands the event to every listener of `name`; never throws, never waits for them. `remote`:
   * another instance emitted it (the LISTEN/NOTIFY bridge re-emits it here), so listeners that
   * act once for the whole deployment (the audit log) leave it to that instance.
   */
  emit<N extends EventName>(name: N, payload: DomainEvents[N], options?: { remote?: boolean }): void;
  /** Listens to `name` until the returned function is called. */
  on<N extends EventName>(name: N, listener: EventListener<N>): () => void;
}

/**
 * One bus per process. A listener's failure (thrown, or a rejected promise) is reported to
 * `onListenerError` and goes no further: what the emitter decided is done and stays done, and one
 * listener's fault does not keep the event from the others.
 *
 * @example
 * const events = createEventBus({ clock: systemClock, onListenerError: (error, event) => logger.error({ err: error, event: event.name }, 'event.listener_error') });
 * events.on('consent.status_changed', ({ payload }) => cache.forget(payload.consentId));
 * events.emit('consent.status_changed', { consentId, kind, clientId, from: 'Authorised', to: 'Revoked', actor: 'customer' });
 */
export function createEventBus(options: { clock: Clock; onListenerError: (error: unknown, event: DomainEvent) => void }): EventBus {
  const listeners = new Map<EventName, Set<EventListener<never>>>();
  return {
    emit(name, payload, emitOptions) {
      const event = { name, payload, at: options.clock.now(), remote: emitOptions?.remote === true } as DomainEvent<typeof name>;
      for (const listener of listeners.get(name) ?? []) {
        try {
          const outcome = (listener as EventListener<typeof name>)(event);
          if (outcome instanceof Promise) outcome.catch((error: unknown) => options.onListenerError(error, event));
        } catch (error) {
          options.onListenerError(error, event);
        }
      }
    },
    on(name, listener) {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener as EventListener<never>);
      return () => set.delete(listener as EventListener<never>);
    },
  };
}
