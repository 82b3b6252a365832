import { randomUUID } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';

/*
 * How the sandbox directory keeps its keys on disk when several processes may start together:
 * a private file is made once (the first writer wins, nobody reads it half written), and the
 * public files derived from it are rewritten whole at every start.
 */

/** The file's text, or undefined when it does not exist. */
export async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes `content` to `path` (mode 0600) unless the file exists; returns whichever content the
 * file holds afterwards. Written in full beside the target, then linked into place: link fails
 * when the target exists, so when two processes start together the first one's file wins.
 */
export async function createOnce(path: string, content: string): Promise<string> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode: 0o600 });
  try {
    await link(temporary, path);
    return content;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readFile(path, 'utf8');
  } finally {
    await unlink(temporary);
  }
}

/** Writes beside the target and renames, so that a reader never sees a half-written public file. */
export async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, content, { mode: 0o644 });
  await rename(temporary, path);
}
