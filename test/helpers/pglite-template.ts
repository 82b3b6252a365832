import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import knexFactory from 'knex';
import ClientPGLite from 'knex-pglite';

import type { Knex } from '../../src/db/knex.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/*
 * A fresh PGlite runs initdb in a second WASM instance, then every migration: seconds of CPU per
 * store, and the suite opens one for nearly every server it starts. Global setup does that once
 * and dumps the migrated data folder; each test store starts from a copy of it, as PostgreSQL's
 * `create database … template` copies a migrated database. What a store holds is unchanged:
 * migrated and otherwise empty.
 */

// Where global setup left the tarball, for the test files (child processes) it starts.
const TEMPLATE_PATH_VARIABLE = 'PORTCULLIS_TEST_PGLITE_TEMPLATE';

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

/** Migrates a fresh in-memory PGlite and returns its data folder as a tarball. */
async function migratedDataFolder(): Promise<ArrayBuffer> {
  const pglite = new PGlite();
  const db = storeOver(pglite);
  try {
    await migrateToLatest(db);
    // A test database holds kilobytes; PostgreSQL's default 128MB of shared buffers would be
    // zeroed at every start, half of each store's start-up.
    await db.raw("alter system set shared_buffers = '16MB'");
    // Written out to the data files, so that a copy starts without replaying the log.
    await db.raw('checkpoint');
    return await (await pglite.dumpDataDir('none')).arrayBuffer();
  } finally {
    await db.destroy();
  }
}

/** Builds the run's template (global setup); returns what removes it. */
export async function preparePgliteTemplate(): Promise<() => void> {
  const folder = mkdtempSync(join(tmpdir(), 'portcullis-pglite-template-'));
  const path = join(folder, 'pgdata.tar');
  writeFileSync(path, new Uint8Array(await migratedDataFolder()));
  process.env[TEMPLATE_PATH_VARIABLE] = path;
  return () => rmSync(folder, { recursive: true, force: true });
}

let template: Promise<ArrayBuffer> | undefined;

// A file this large is read into a buffer of its own; copying it anyway would cost as much as the read.
function ownBuffer(bytes: Buffer): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  return byteOffset === 0 && byteLength === buffer.byteLength ? buffer as ArrayBuffer : new Uint8Array(bytes).buffer;
}

/**
 * A private in-memory PGlite, migrated: a copy of the run's template, or of one made here when no
 * global setup made one (a test file run on its own). Ready when returned, so that a test's
 * deadlines never include PGlite's start-up.
 */
export async function openPgliteFromTemplate(): Promise<Knex> {
  const path = process.env[TEMPLATE_PATH_VARIABLE];
  template ??= path ? readFile(path).then(ownBuffer) : migratedDataFolder();
  const db = storeOver(new PGlite({ loadDataDir: new TemplateTarball(await template) }));
  // Through knex, not PGlite's own `waitReady`: a knex whose pool never connected leaves a timer
  // behind when destroyed, and the test file's process would never end.
  await db.raw('select 1');
  return db;
}
