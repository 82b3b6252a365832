/**
 * An audit entry that had to be written could not be (the store failed, or the audit log is
 * closed): a call to an API marked `audit: required` must then fail closed. The store's error is
 * the `cause`; the message is for logs, not for callers.
 */
export class AuditUnavailable extends Error {
  override name = 'AuditUnavailable';
}
