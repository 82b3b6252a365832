/** One plain-text message to one developer. */
export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Where the portal's mail goes: the development outbox here; a mail server in production. */
export interface Mailer {
  send(mail: Mail): Promise<void>;
}
