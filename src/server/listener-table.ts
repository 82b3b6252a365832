import type { ServerOptions } from 'node:https';

import type { Config } from '../config/config.ts';
import type { ListenerPki } from './pki.ts';
import { browserErrorFamily, partnerErrorFamily, problemErrorFamily, type ErrorFamilyOf } from './error-family.ts';
import type { RoleRoutes } from './roles/role.ts';
import { browserTlsOptions, partnerTlsOptions } from './tls-options.ts';

/** One listener a process may open: where, with which TLS, serving pages or not, and its error format. */
export interface ListenerSpec {
  name: keyof RoleRoutes;
  port: number;
  host: string;
  /** Its configured public base URL: the only origin its URLs name. */
  publicUrl: string;
  tls: ServerOptions;
  pages: boolean;
  familyOf: ErrorFamilyOf;
  /** See `ListenerAppOptions.inspectInput`. */
  inspectInput: boolean;
}

/**
 * Every listener (DESIGN.md, "Listeners"): the browser's, the partners' mutual-TLS one, the
 * gateway's public API listener and the admin API's, bound to localhost by default. A process
 * opens only those its roles put routes on.
 */
export function listenerTable(config: Config, pki: ListenerPki, sandboxPrefix?: string): ListenerSpec[] {
  const problems = problemErrorFamily(config.issuer);
  // The bank integration's own API on the browser listener answers in problem details, not pages.
  const browserFamily: ErrorFamilyOf = sandboxPrefix === undefined ? browserErrorFamily : (path) => (path.startsWith(sandboxPrefix) ? problems(path) : browserErrorFamily(path));
  return [
    { name: 'browser', port: config.httpsPort, host: config.host, publicUrl: config.issuer, tls: browserTlsOptions(pki.server), pages: true, familyOf: browserFamily, inspectInput: true },
    { name: 'partner', port: config.mtlsPort, host: config.host, publicUrl: config.mtlsBaseUrl, tls: partnerTlsOptions(pki.server, pki.trustAnchors), pages: false, familyOf: partnerErrorFamily, inspectInput: true },
    { name: 'public', port: config.gatewayPort, host: config.host, publicUrl: config.gatewayBaseUrl, tls: browserTlsOptions(pki.server), pages: false, familyOf: problems, inspectInput: false },
    { name: 'admin', port: config.adminPort, host: config.adminHost, publicUrl: `https://localhost:${config.adminPort}`, tls: browserTlsOptions(pki.server), pages: false, familyOf: problems, inspectInput: true },
  ];
}
