import { sandboxMigrations } from '../migrate-under-lock.ts';

// The sandbox bank's own migrations, in their own table: see `sandboxMigrations`.
const migrations = sandboxMigrations(new URL('./migrations', import.meta.url), 'sandbox_knex_migrations');

export const migrateSandboxBank = migrations.migrate;
export const rollbackSandboxBank = migrations.rollback;
