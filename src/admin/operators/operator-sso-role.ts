import type { ConsoleSsoConfig } from '../../config/config.ts';
import { OPERATOR_ROLES, type OperatorRole } from './operator-role.ts';

type RoleMapping = NonNullable<ConsoleSsoConfig['roles']>;

/**
 * The console role the provider's role claim grants: the highest of the roles its values map to
 * (a claim holds one value or a list, as `groups` and `roles` claims do), or null for none.
 *
 * @example
 * roleFromClaims({ groups: ['staff', 'api-ops'] }, { claim: 'groups', map: [{ value: 'api-ops', role: 'operator' }] }); // 'operator'
 */
export function roleFromClaims(claims: Record<string, unknown>, mapping: RoleMapping): OperatorRole | null {
  const claim = claims[mapping.claim];
  const values = new Set((Array.isArray(claim) ? claim : [claim]).filter((value): value is string => typeof value === 'string'));
  const granted = mapping.map.filter((entry) => values.has(entry.value)).map((entry) => OPERATOR_ROLES.indexOf(entry.role));
  return granted.length ? OPERATOR_ROLES[Math.max(...granted)]! : null;
}
