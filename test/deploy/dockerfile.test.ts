import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';

import { healthPaths, readRepoFile } from './deploy-files.ts';

/*
 * The image, which cannot be built here: the Dockerfile read for what it promises (a slim Node 24
 * base, dependencies installed without dev ones in a stage of their own, only what runs in the
 * final stage, a non-root user, a health check on a real path), and the code it copies checked to
 * need nothing that `npm ci --omit=dev` leaves out.
 */

interface Instruction {
  keyword: string;
  args: string;
}

// Continuation lines joined, comments dropped, then one instruction per line.
const instructions: Instruction[] = readRepoFile('Dockerfile').replace(/\\\n/g, ' ').split('\n')
  .filter((line) => line.trim() && !line.trim().startsWith('#'))
  .map((line) => {
    const [keyword, ...rest] = line.trim().split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });

const stages: Instruction[][] = [];
for (const instruction of instructions) {
  if (instruction.keyword === 'FROM') stages.push([]);
  stages.at(-1)?.push(instruction);
}
const [dependencies, final] = [stages.at(-2)!, stages.at(-1)!];
const args = (stage: Instruction[], keyword: string) => stage.filter((instruction) => instruction.keyword === keyword).map(({ args: value }) => value);

describe('Dockerfile', () => {
  it('builds on a slim Node 24 image, in two stages', () => {
    assert.equal(stages.length, 2);
    const image = /^NODE_IMAGE=(\S+)$/.exec(args(instructions, 'ARG')[0])![1];
    assert.match(image, /^node:24(\.\d+)*-[a-z]+-slim$/);
    assert.deepEqual(args(dependencies, 'FROM'), ['${NODE_IMAGE} AS dependencies']);
    assert.deepEqual(args(final, 'FROM'), ['${NODE_IMAGE}']);
  });

  it('installs the dependencies without dev ones, in the first stage only', () => {
    const installs = instructions.filter(({ keyword, args: command }) => keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(command));
    assert.equal(installs.length, 1);
    assert.match(installs[0].args, /\bnpm ci --omit=dev\b/);
    assert.ok(dependencies.includes(installs[0]));
    assert.ok(args(final, 'COPY').includes('--from=dependencies /app/node_modules ./node_modules'));
  });

  it('copies only what runs into the final stage, and removes npm from it', () => {
    const sources = args(final, 'COPY').filter((copy) => !copy.startsWith('--from')).map((copy) => copy.split(' ')[0]);
    assert.deepEqual(sources.sort(), ['migrations', 'package.json', 'sandbox', 'src', 'views']);
    assert.ok(args(final, 'RUN').some((command) => command.includes('/usr/local/bin/npm')));
    // .dockerignore sends the builder only those (and the lock file the first stage installs from).
    const ignore = readRepoFile('.dockerignore').split('\n').filter((line) => line && !line.startsWith('#'));
    assert.equal(ignore[0], '*');
    assert.deepEqual(ignore.slice(1).map((line) => line.replace(/^!|\/$/g, '')).sort(), ['migrations', 'package-lock.json', 'package.json', 'sandbox', 'src', 'views']);
  });

  it('runs as the unprivileged node user, from its first instruction that runs code', () => {
    const users = args(final, 'USER');
    assert.deepEqual(users, ['node']);
    const userAt = final.findIndex(({ keyword }) => keyword === 'USER');
    assert.ok(final.slice(userAt).every(({ keyword }) => keyword !== 'RUN'), 'nothing runs as root after the switch');
    assert.deepEqual(args(final, 'CMD'), ['["node", "src/main.ts"]']);
  });

  it('checks its health on a path Portcullis answers', () => {
    const [check] = args(final, 'HEALTHCHECK');
    const path = /path: '([^']+)'/.exec(check)![1];
    assert.ok(healthPaths().has(path), path);
    assert.equal(path, '/readyz');
  });

  it('needs no dev dependency at run time: everything the copied code imports is a dependency or built in', () => {
    const packageJson = JSON.parse(readRepoFile('package.json')) as { dependencies: Record<string, string> };
    const allowed = new Set([...Object.keys(packageJson.dependencies), ...builtinModules]);
    const missing = new Set<string>();
    for (const folder of ['src', 'sandbox']) {
      const files = readdirSync(new URL(`../../${folder}/`, import.meta.url), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
      for (const file of files) {
        const source = readRepoFile(`${folder}/${file}`);
        // `import type` leaves nothing behind for Node to load.
        for (const [, specifier] of source.matchAll(/^(?:import|export)(?! type )[^'"]*?from '([^'.][^']*)'|import\('([^'.][^']*)'\)/gm)) {
          if (!specifier) continue;
          const name = specifier.startsWith('node:') ? specifier.slice(5).split('/')[0] : specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
          if (!allowed.has(name)) missing.add(`${name} (${folder}/${file})`);
        }
      }
    }
    assert.deepEqual([...missing], []);
  });
});
