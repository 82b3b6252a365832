import { readFile } from 'node:fs/promises';

import type { ClientMetadata } from 'oidc-provider';

import { ClientAlreadyRegistered, registerClientByOps } from '../auth/clients/clients.service.ts';
import { resolveSecrets } from '../config/dev-secrets.ts';
import { CommandFailed, type Command } from './command.ts';
import { withStore } from './with-store.ts';

async function readMetadata(file: string): Promise<ClientMetadata> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new CommandFailed(`cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
  let metadata: unknown;
  try {
    metadata = JSON.parse(text);
  } catch (cause) {
    throw new CommandFailed(`${file} is not JSON: ${(cause as Error).message}`, { cause });
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new CommandFailed(`${file} must hold one JSON object of client metadata`);
  }
  return metadata as ClientMetadata;
}

export const clientsRegisterCommand: Command = {
  words: ['clients', 'register'],
  arguments: ['<file.json>'],
  flags: { replace: { description: 'replace the client with the same client_id instead of refusing' } },
  summary: 'register a client from a JSON metadata file',
  description: [
    'Registers a client by hand from a file of RFC 7591 client metadata, client_id included. It passes the same schema and FAPI client policy as dynamic registration (private_key_jwt, tls_client_auth or self_signed_tls_client_auth; https redirect URIs; sender-constrained tokens), without a software statement: the operator vouches for the client. Prints the metadata as stored, defaults filled in.',
    'Metadata the policy refuses fails with oidc-provider\'s error and description, e.g. "invalid_client_metadata: ...". A client_id that is already registered is refused unless --replace is given.',
    'Example file:\n  {\n    "client_id": "tpp-example",\n    "client_name": "Example TPP",\n    "redirect_uris": ["https://tpp.example/callback"],\n    "token_endpoint_auth_method": "private_key_jwt",\n    "jwks_uri": "https://tpp.example/jwks.json"\n  }',
  ].join('\n\n'),
  async run({ config, print, note, events, clock }, { positionals: [file], flags }) {
    const metadata = await readMetadata(file!);
    const secrets = resolveSecrets(config, note);
    const stored = await withStore({ config, events, clock }, async (db) => {
      // oidc-provider (180 modules) only for this command, not for every command the CLI runs.
      const { buildProvider } = await import('./build-provider.ts');
      const provider = await buildProvider(config, secrets, db);
      try {
        return await registerClientByOps({ db, events, provider }, metadata, { replace: flags['replace'] === true });
      } catch (error) {
        if (error instanceof ClientAlreadyRegistered) throw new CommandFailed(error.message, { cause: error });
        throw error;
      }
    });
    print(JSON.stringify(stored, null, 2));
  },
};
