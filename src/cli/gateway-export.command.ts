import { writeFile } from 'node:fs/promises';

import { loadCatalogue } from '../gateway/catalogue/catalogue.service.ts';
import { CommandFailed, type Command } from './command.ts';
import { withStore } from './with-store.ts';

export const gatewayExportCommand: Command = {
  words: ['gateway', 'export'],
  arguments: ['[file.yaml]'],
  flags: {},
  summary: 'write the gateway catalogue as a declarative YAML file',
  description: 'Writes every API (with routes, policies and lifecycle) and plan as a declarative file, to the file given or else to stdout: the file `gateway apply` reads, and that, applied back, changes nothing. Ids are replaced by natural keys; API keys, organisations, applications and subscriptions are not written.',
  async run({ config, print, events, clock }, { positionals: [file] }) {
    // The YAML writer (70 modules) only for the gateway's commands, not for every command the CLI runs.
    const { exportGatewayFile } = await import('../gateway/declarative/export-gateway-file.ts');
    const yaml = exportGatewayFile(await withStore({ config, events, clock }, (db) => loadCatalogue(db)));
    if (file === undefined) {
      print(yaml.trimEnd());
      return;
    }
    try {
      await writeFile(file, yaml);
    } catch (cause) {
      throw new CommandFailed(`cannot write ${file}: ${(cause as Error).message}`, { cause });
    }
  },
};
