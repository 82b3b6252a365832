/* What each operator role may do in the console and the admin API: one table, read by every check. */

export const OPERATOR_ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/**
 * The rights an admin route or console action needs: `read` sees everything; `operate` changes
 * the API programme (APIs and their lifecycle, plans, approvals, suspensions, keys, consents);
 * `administer` manages operators and billing.
 */
export const OPERATOR_RIGHTS = ['read', 'operate', 'administer'] as const;
export type OperatorRight = (typeof OPERATOR_RIGHTS)[number];

export interface OperatorRoleRights {
  label: string;
  summary: string;
  rights: readonly OperatorRight[];
}

export const OPERATOR_ROLE_RIGHTS: Readonly<Record<OperatorRole, OperatorRoleRights>> = {
  viewer: { label: 'Viewer', summary: 'Sees everything, changes nothing', rights: ['read'] },
  operator: { label: 'Operator', summary: 'Runs the API programme: APIs, plans, approvals, suspensions, keys, consents', rights: ['read', 'operate'] },
  admin: { label: 'Admin', summary: 'Everything an operator can, and manages operators and billing', rights: ['read', 'operate', 'administer'] },
};

export const isOperatorRole = (value: unknown): value is OperatorRole => typeof value === 'string' && (OPERATOR_ROLES as readonly string[]).includes(value);

export const mayDo = (role: OperatorRole, right: OperatorRight): boolean => OPERATOR_ROLE_RIGHTS[role].rights.includes(right);
