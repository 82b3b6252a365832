import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import knexFactory from 'knex';
import ClientPGLite from 'knex-pglite';

import type { Knex } from '../../src/db/knex.ts';
import { keepPgliteOnBaselineCompiler } from '../../src/db/pglite-baseline-compiler.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { ensureDefaultBank } from '../../sandbox/bank/default-bank.ts';

/*
 * A fresh PGlite runs initdb in a second WASM instance, then every migration: seconds of CPU per
 * store, and the suite opens one for nearly every server it starts. Global setup does that once
 * and dumps the data folder; each test store starts from a copy of it, as PostgreSQL's
 * `create database … template` copies a migrated database. Two templates, as the PostgreSQL run
 * has two kinds of store: the shared test database (migrated, with the sandbox bank global setup
 * seeds, which every test server would otherwise seed again) and an isolated schema (migrated,
 * otherwise empty).
 */

// Where global setup left the tarballs, for the test files (child processes) it starts.
const TEMPLATE_PATH_VARIABLES = { withBank: 'PORTCULLIS_TEST_PGLITE_TEMPLATE', empty: 'PORTCULLIS_TEST_PGLITE_EMPTY_TEMPLATE' } as const;
export type TemplateKind = keyof typeof TEMPLATE_PATH_VARIABLES;

/** Where the run's `kind` template is (a tarball of a PGlite data folder), when global setup made one. */
export function pgliteTemplatePath(kind: TemplateKind): string | undefined {
  return process.env[TEMPLATE_PATH_VARIABLES[kind]];
}

/**
 * The tarball as a Blob that hands over its bytes at once: Node's own `Blob.arrayBuffer()` reads
 * 40 MB in small chunks, which takes longer than the rest of PGlite's start-up.
 */
class TemplateTarball extends Blob {
  readonly #bytes: ArrayBuffer;
  constructor(bytes: ArrayBuffer) {
    super([]);
    this.#bytes = bytes;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    // PGlite only reads them (untar copies each file out), so every store can share one copy.
    return Promise.resolve(this.#bytes);
  }
}

function storeOver(pglite: PGlite): Knex {
  return knexFactory({ client: ClientPGLite, connection: { pglite } as unknown as Knex.StaticConnectionConfig });
}

/** Migrates a fresh in-memory PGlite and returns its data folder as tarballs: migrated, then with the default sandbox bank too. */
async function migratedDataFolders(): Promise<Record<TemplateKind, ArrayBuffer>> {
  // Every test store unpacks a template, so its size is start-up time. With write-ahead log
  // segments of 1 MB (PostgreSQL's 16 MB segments were half the template, mostly zeros) and no
  // template databases, the template with the bank is 21 MB instead of 63, and a store starts on
  // about a third less CPU.
  const pglite = new PGlite({ initDbStartParams: ['--wal-segsize=1'] });
  const db = storeOver(pglite);
  // Written out to the data files, so that a copy starts without replaying the log.
  const dump = async () => {
    await db.raw('checkpoint');
    return (await pglite.dumpDataDir('none')).arrayBuffer();
  };
  try {
    await migrateToLatest(db);
    // A test database holds kilobytes; PostgreSQL's default 128MB of shared buffers would be
    // zeroed at every start, half of each store's start-up.
    await db.raw("alter system set shared_buffers = '16MB'");
    // Only CREATE DATABASE copies them, and no test creates a database on PGlite.
    await db.raw("update pg_database set datistemplate = false where datname in ('template0', 'template1')");
    await db.raw('drop database template0');
    await db.raw('drop database template1');
    const empty = await dump();
    await ensureDefaultBank(db, systemClock, createLogger('warn', false));
    return { empty, withBank: await dump() };
  } finally {
    await db.destroy();
  }
}

/** Builds the run's templates (global setup); returns what removes them. */
export async function preparePgliteTemplate(): Promise<() => void> {
  keepPgliteOnBaselineCompiler();
  const folder = mkdtempSync(join(tmpdir(), 'portcullis-pglite-template-'));
  for (const [kind, bytes] of Object.entries(await migratedDataFolders()) as Array<[TemplateKind, ArrayBuffer]>) {
    const path = join(folder, `${kind}.tar`);
    writeFileSync(path, new Uint8Array(bytes));
    process.env[TEMPLATE_PATH_VARIABLES[kind]] = path;
  }
  return () => rmSync(folder, { recursive: true, force: true });
}

const templates: Partial<Record<TemplateKind, Promise<ArrayBuffer>>> = {};
let madeHere: Promise<Record<TemplateKind, ArrayBuffer>> | undefined;

// A file this large is read into a buffer of its own; copying it anyway would cost as much as the read.
function ownBuffer(bytes: Buffer): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  return byteOffset === 0 && byteLength === buffer.byteLength ? buffer as ArrayBuffer : new Uint8Array(bytes).buffer;
}

/**
 * A private in-memory PGlite, migrated, with the default sandbox bank unless `kind` is `empty`: a
 * copy of the run's template, or of one made here when no global setup made one (a test file run
 * on its own). Ready when returned, so that a test's deadlines never include PGlite's start-up.
 */
export async function openPgliteFromTemplate(kind: TemplateKind = 'withBank'): Promise<Knex> {
  // A test file's process lives seconds, as a CLI command does.
  keepPgliteOnBaselineCompiler();
  const path = pgliteTemplatePath(kind);
  templates[kind] ??= path ? readFile(path).then(ownBuffer) : (madeHere ??= migratedDataFolders()).then((made) => made[kind]);
  const db = storeOver(new PGlite({ loadDataDir: new TemplateTarball(await templates[kind]) }));
  // Through knex, not PGlite's own `waitReady`: a knex whose pool never connected leaves a timer
  // behind when destroyed, and the test file's process would never end.
  await db.raw('select 1');
  return db;
}
