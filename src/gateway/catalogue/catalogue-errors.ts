/*
 * What the catalogue's services refuse with, so that each caller answers in its own form: the
 * admin API as problem details (404, 409, 400 with the fields), declarative config as a message
 * naming the entity, the CLI as its exit code.
 */

/** One thing wrong with an input: where (`routes[1].pathTemplate`, `''` for the whole input) and what. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** An API, route, plan, subscription (or an application a subscription names) that is not there. */
export class CatalogueNotFound extends Error {
  override name = 'CatalogueNotFound';
}

/** The change is well formed but clashes with what is stored: a duplicate, an illegal lifecycle move, a plan still subscribed to. */
export class CatalogueConflict extends Error {
  override name = 'CatalogueConflict';
}

/** The input is malformed; `issues` says where and why, field by field. */
export class CatalogueInvalid extends Error {
  override name = 'CatalogueInvalid';
  readonly issues: readonly FieldIssue[];

  constructor(issues: readonly FieldIssue[]) {
    super(issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; '));
    this.issues = issues;
  }
}
