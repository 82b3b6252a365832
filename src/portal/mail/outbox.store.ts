import type { Knex } from 'knex';

import type { Clock } from '../../shared/clock.ts';
import type { Mail, Mailer } from './mailer.ts';

/** A message as the development outbox shows it. */
export interface OutboxMail extends Mail {
  id: string;
  sentAt: Date;
}

/** Mail kept in the store for the development outbox page (`/dev/outbox`), never sent anywhere. */
export function outboxMailer(db: Knex, clock: Clock): Mailer {
  return {
    async send(mail) {
      await db('portal_outbox').insert({ recipient: mail.to, subject: mail.subject, body: mail.text, created_at: clock.now() });
    },
  };
}

/** The newest `limit` messages, newest first. */
export async function listOutbox(db: Knex, limit: number): Promise<OutboxMail[]> {
  const rows = (await db('portal_outbox').orderBy('id', 'desc').limit(limit)) as Array<{ id: string | number; recipient: string; subject: string; body: string; created_at: Date }>;
  return rows.map((row) => ({ id: String(row.id), to: row.recipient, subject: row.subject, text: row.body, sentAt: new Date(row.created_at) }));
}
