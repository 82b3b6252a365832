/* What the Open Banking partners' operations refuse, for the admin API (problem details) and the console (error pages) to word. */

/** No client, or no consent, with that id. */
export class ObAdminNotFound extends Error {
  override name = 'ObAdminNotFound';
}

/** The change cannot be made in the state the subject is in (a consent that has ended). */
export class ObAdminConflict extends Error {
  override name = 'ObAdminConflict';
}

/** A filter or cursor that is not valid; `issues` names each, as the admin API's `errors` member does. */
export class ObAdminInvalid extends Error {
  override name = 'ObAdminInvalid';
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(issues: ReadonlyArray<{ path: string; message: string }>) {
    super(issues.map((issue) => issue.message).join('; '));
    this.issues = issues;
  }
}
