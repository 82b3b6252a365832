import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

import { unzipSync } from 'fflate';
import { Agent, fetch as undiciFetch } from 'undici';

import type { Config } from '../../src/config/config.ts';
import { ONBOARDING_PREFIX } from '../directory/onboarding/onboarding.routes.ts';
import { DemoFailed } from './demo-failure.ts';
import { DEMO_IDENTITY } from './demo-identity.ts';
import { readDevPkiFile } from './partner-http.ts';
import { readResponseBody } from './read-response.ts';

/** What onboarding leaves the partner: who it is in the directory, and where its bundle lies. */
export interface Onboarded {
  organisationId: string;
  softwareId: string;
  /** The bundle's `demo-partner.config.json`, which `--config` takes. */
  configFile: string;
}

/**
 * Onboards at the sandbox directory as a partner does, through its API on the bank's browser
 * listener: signs the organisation up (its token is shown this once), asks for a software statement
 * for the app (roles, redirect URI, name), downloads the bundle and unzips it under `intoDir`.
 * Nothing here needs a certificate yet: the bundle is where the partner's transport certificate
 * comes from.
 */
export async function onboardAtDirectory(config: Config, intoDir: string, redirectUri: string): Promise<Onboarded> {
  const dispatcher = new Agent({ connect: { ca: await readDevPkiFile(config.certsDir, 'dev-ca.pem') } });
  const call = async (method: 'GET' | 'POST', path: string, options: { token?: string; body?: unknown } = {}) => {
    const headers: Record<string, string> = { accept: path.endsWith('/bundle') ? 'application/zip' : 'application/json' };
    if (options.token) headers['authorization'] = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await undiciFetch(`${config.issuer}${ONBOARDING_PREFIX}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), dispatcher });
    if (!response.ok) throw new DemoFailed(`${method} ${ONBOARDING_PREFIX}${path} answered HTTP ${response.status}`, await readResponseBody(response as unknown as Response));
    return response;
  };

  const organisation = await (await call('POST', 'organisations', { body: { name: DEMO_IDENTITY.orgName, contact_email: 'developers@demo-budgeting.example' } })).json() as { organisation_id: string; token: string };
  const software = await (await call('POST', `organisations/${organisation.organisation_id}/software-statements`, {
    token: organisation.token,
    body: { client_name: DEMO_IDENTITY.clientName, roles: ['AISP', 'PISP', 'CBPII'], redirect_uris: [redirectUri] },
  })).json() as { software_id: string };
  const zip = new Uint8Array(await (await call('GET', `organisations/${organisation.organisation_id}/software-statements/${software.software_id}/bundle`, { token: organisation.token })).arrayBuffer());

  let configFile: string | undefined;
  for (const [name, bytes] of Object.entries(unzipSync(zip))) {
    if (name.endsWith('/')) continue;
    const path = join(intoDir, name);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, bytes);
    // The keys are the partner's secrets: readable by its owner only, as the bundle had them.
    if (/\.key$|signing-key\.jwk\.json$/.test(name)) await chmod(path, 0o600);
    if (name.endsWith('/demo-partner.config.json')) configFile = path;
  }
  if (!configFile) throw new DemoFailed('the bundle holds no demo-partner.config.json');
  return { organisationId: organisation.organisation_id, softwareId: software.software_id, configFile };
}
