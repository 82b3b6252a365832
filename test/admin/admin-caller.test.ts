import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Context } from 'koa';

import { requireRight } from '../../src/admin/http/admin-caller.ts';
import { OPERATOR_ROLES, type OperatorRight, type OperatorRole } from '../../src/admin/operators/operator-role.ts';
import { Problem } from '../../src/shared/problem.ts';

async function allowed(role: OperatorRole, right: OperatorRight): Promise<boolean> {
  let reached = false;
  try {
    await requireRight(right)({ state: { adminCaller: { actor: `test-${role}`, role } } } as unknown as Context, async () => { reached = true; });
  } catch (error) {
    assert.ok(error instanceof Problem);
    assert.equal(error.status, 403);
    assert.match(error.message, new RegExp(`The ${role} role may not do this: it needs the ${right} right`));
  }
  return reached;
}

test('each role holds exactly its rights: a viewer reads, an operator also operates, an admin also administers', async () => {
  const table = Object.fromEntries(await Promise.all(OPERATOR_ROLES.map(async (role) => [role, [await allowed(role, 'read'), await allowed(role, 'operate'), await allowed(role, 'administer')]] as const)));
  assert.deepEqual(table, { viewer: [true, false, false], operator: [true, true, false], admin: [true, true, true] });
});
