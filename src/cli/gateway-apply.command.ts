import { readFile } from 'node:fs/promises';

import { CatalogueConflict } from '../gateway/catalogue/catalogue-errors.ts';
import { loadCatalogue } from '../gateway/catalogue/catalogue.service.ts';
import { applyGatewayChanges, GatewayApplyFailed } from '../gateway/declarative/apply-gateway-changes.ts';
import { formatGatewayChanges } from '../gateway/declarative/format-gateway-changes.ts';
import { planGatewayChanges } from '../gateway/declarative/plan-gateway-changes.ts';
import { CommandFailed, type Command } from './command.ts';
import { withStore } from './with-store.ts';

export const gatewayApplyCommand: Command = {
  words: ['gateway', 'apply'],
  arguments: ['<file.yaml>'],
  flags: {
    'dry-run': { description: 'print the changes without making them' },
    'no-delete': { description: 'only add and change: keep APIs and plans the file does not list' },
  },
  summary: 'make the gateway catalogue hold what a YAML file lists, printing the changes',
  description: [
    'Reads a declarative gateway file (see docs/examples/gateway.yaml): APIs with their routes, policies and lifecycle, and plans with their APIs, named by natural keys (an API by name and version, a plan by name). Prints the changes, one per line ("+ api clinics v2", "~ plan free: ratePerMinute 60 → 100", "- route clinics v1 GET /x"), then makes them in one transaction: if any fails, none is made. Applying the same file again prints "No changes."',
    'Like decK\'s sync, the file is the whole catalogue: APIs and plans it does not list are deleted. A routed API (published or deprecated) is never deleted that way: list it with lifecycle: retired first. With --no-delete, nothing is deleted (decK\'s apply).',
    'A file that cannot be read fails naming the line, or the field (apis[1].routes[0].pathTemplate), of every problem.',
  ].join('\n\n'),
  async run({ config, print, events, clock }, { positionals: [file], flags }) {
    let text: string;
    try {
      text = await readFile(file!, 'utf8');
    } catch (cause) {
      throw new CommandFailed(`cannot read ${file}: ${(cause as Error).message}`, { cause });
    }
    const options = { delete: flags['no-delete'] !== true };
    // The YAML parser (70 modules) only for the gateway's commands, not for every command the CLI runs.
    const { GatewayFileInvalid, readGatewayFile } = await import('../gateway/declarative/read-gateway-file.ts');
    const changes = await withStore({ config, events, clock }, async (db) => {
      try {
        const desired = readGatewayFile(text, file!);
        if (flags['dry-run']) return planGatewayChanges(await loadCatalogue(db), desired, options);
        return await applyGatewayChanges({ db, events, clock, actor: 'ops' }, desired, options);
      } catch (error) {
        if (error instanceof GatewayFileInvalid || error instanceof GatewayApplyFailed || error instanceof CatalogueConflict) throw new CommandFailed(error.message, { cause: error });
        throw error;
      }
    });
    const lines = formatGatewayChanges(changes);
    for (const line of lines) print(line);
    if (lines.length === 0) print('No changes.');
    else if (flags['dry-run']) print('Dry run: nothing was changed.');
  },
};
