import { z } from 'zod';

import { OB_ROLES } from '../../src/openbanking/ob-vocabulary.ts';

/**
 * The demo partner's configuration file (`--config <file>`), as the sandbox directory writes it
 * into a software bundle: where the bank is, who the software is, and the bundle's files it uses,
 * named relative to the configuration file's folder. With it the demo acts as the partner's own
 * software rather than as the built-in "Demo Budgeting App".
 */

const httpsUrl = z.url({ protocol: /^https$/, error: 'must be an absolute https URL' });
const fileName = z.string().min(1);

export const demoConfigSchema = z.strictObject({
  issuer: httpsUrl,
  mtlsBaseUrl: httpsUrl,
  orgId: z.string().min(1),
  softwareId: z.string().min(1),
  clientName: z.string().min(1),
  roles: z.array(z.enum(OB_ROLES)).min(1),
  /** One of the software statement's redirect URIs; the demo listens on it for the customer. */
  redirectUri: httpsUrl,
  files: z.strictObject({
    softwareStatement: fileName,
    /** The private signing key, a PS256 JWK with its `kid`. */
    signingKey: fileName,
    transportCertificate: fileName,
    transportKey: fileName,
  }),
});

export type DemoConfig = z.output<typeof demoConfigSchema>;
