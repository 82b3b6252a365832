/**
 * What README.txt of a software bundle says: the files, then the two ways to a first call. With
 * the client the developer portal registered (`clientId`), the demo client starts from it.
 */
export function bundleReadme(inputs: { clientName: string; orgId: string; softwareId: string; issuer: string; mtlsBaseUrl: string; folder: string; clientId: string | undefined }): string {
  return `${inputs.clientName}: Portcullis sandbox bundle
Organisation ${inputs.orgId}, software ${inputs.softwareId}.

The files
  software-statement.jwt     your software statement (SSA), signed by the sandbox directory: send it
                             with your registration request (DCR) to ${inputs.mtlsBaseUrl}/register
  signing-key.jwk.json       your software's private signing key (PS256), for client assertions,
                             request objects and registration requests. Keep it secret.
  signing-jwks.json          its public half, as the software statement carries it (software_jwks)
  transport.pem              your transport certificate (mutual TLS with the bank), one year,
                             CN=<software id>, OU=<organisation id>
  transport.key              its private key. Keep it secret.
  transport-ca.pem           the sandbox directory CA that issued it
  demo-partner.config.json   configuration for Portcullis's demo client
  postman_collection.json    a Postman collection (v2.1): register, token, consent, accounts
${inputs.clientId === undefined ? '' : `  demo-registration.json     the demo client's registration: client ${inputs.clientId}, which the
                             developer portal registered for you. Keep it secret.
`}
The bank
  Issuer (browser, discovery): ${inputs.issuer}/.well-known/openid-configuration
  Mutual-TLS endpoints:        ${inputs.mtlsBaseUrl} (token, PAR, registration, Open Banking APIs)
  The sandbox's TLS certificates come from its development CA (CERTS_DIR/dev-ca.pem of the
  Portcullis you run): trust that file, or turn certificate checks off for localhost only.

With the demo client, from a Portcullis checkout (npm start running):
${inputs.clientId === undefined ? `  npm run demo -- --config ${inputs.folder}/demo-partner.config.json register
` : ''}  npm run demo -- --config ${inputs.folder}/demo-partner.config.json consent accounts
The demo listens for the customer on the redirect URI in demo-partner.config.json: register one on
https://localhost:<port>/... for it to work on your machine.

With Postman: import postman_collection.json, set transport.pem and transport.key as the client
certificate of ${new URL(inputs.mtlsBaseUrl).host} (Settings, Certificates), and run the requests in order.

The sandbox directory keeps your private keys sealed so that you can download this bundle again;
a production directory never sees them. Never use them outside the sandbox.
`;
}
