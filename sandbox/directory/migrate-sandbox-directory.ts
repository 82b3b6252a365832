import { sandboxMigrations } from '../migrate-under-lock.ts';

// The sandbox directory's own migrations, in their own table: see `sandboxMigrations`.
const migrations = sandboxMigrations(new URL('./migrations', import.meta.url), 'sandbox_directory_knex_migrations');

export const migrateSandboxDirectory = migrations.migrate;
export const rollbackSandboxDirectory = migrations.rollback;
