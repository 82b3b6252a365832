import { CONSENT_KINDS } from '../../../src/consent/consent-kinds.ts';
import { ROUTES } from '../../../src/auth/provider/routes.ts';
import type { ObRole } from '../../../src/openbanking/ob-vocabulary.ts';

/**
 * A Postman collection (format v2.1) that walks a partner through its first consented call by
 * hand: register with the software statement, a client-credentials token, an account access
 * consent, the pushed authorization request (the customer approves in a browser), the code
 * exchanged for the customer's token, then accounts, balances and transactions. Postman cannot
 * sign PS256 client assertions, so the collection registers a second client of the same software
 * that authenticates with its transport certificate instead (`tls_client_auth`, RFC 8705 §2.1):
 * the certificate is set once in Postman's settings, and no request needs a signature.
 */

export interface CollectionInputs {
  clientName: string;
  roles: readonly ObRole[];
  issuer: string;
  mtlsBaseUrl: string;
  softwareStatement: string;
  redirectUri: string;
  /** The transport certificate's subject, for `tls_client_auth_subject_dn`. */
  subjectDn: string;
}

const SCHEMA = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const ACCOUNTS_API = '/open-banking/v3.1/aisp';

type Script = { listen: 'prerequest' | 'test'; script: { type: 'text/javascript'; exec: string[] } };
const script = (listen: Script['listen'], ...exec: string[]): Script => ({ listen, script: { type: 'text/javascript', exec } });
const form = (fields: Record<string, string>) => ({ mode: 'urlencoded', urlencoded: Object.entries(fields).map(([key, value]) => ({ key, value })) });
const json = (value: unknown) => ({ mode: 'raw', raw: JSON.stringify(value, null, 2), options: { raw: { language: 'json' } } });
const bearer = (variable: string) => [{ key: 'Authorization', value: `Bearer {{${variable}}}` }, { key: 'x-fapi-interaction-id', value: '{{$guid}}' }, { key: 'Accept', value: 'application/json' }];
const save = (variable: string, expression: string) => `if (pm.response.code < 300) pm.collectionVariables.set('${variable}', ${expression});`;

function registration() {
  return {
    name: '1. Register (DCR with the software statement, tls_client_auth)',
    event: [script('test', save('client_id', 'pm.response.json().client_id'))],
    request: {
      method: 'POST',
      url: `{{mtls_base_url}}${ROUTES.registration}`,
      header: [{ key: 'Content-Type', value: 'application/json' }, { key: 'Accept', value: 'application/json' }],
      body: json({
        software_statement: '{{software_statement}}',
        redirect_uris: ['{{redirect_uri}}'],
        token_endpoint_auth_method: 'tls_client_auth',
        tls_client_auth_subject_dn: '{{subject_dn}}',
        tls_client_certificate_bound_access_tokens: true,
        grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
        response_types: ['code'],
      }),
      description: 'Registers a client of your software (RFC 7591 with the UK Open Banking software statement). Saves client_id.',
    },
  };
}

function accountRequests() {
  const consents = CONSENT_KINDS['account-access'].path;
  const days = (count: number) => `new Date(Date.now() + ${count} * 86400000).toISOString()`;
  return [
    {
      name: '2. Token (client credentials, scope accounts)',
      event: [script('test', save('client_token', 'pm.response.json().access_token'))],
      request: { method: 'POST', url: `{{mtls_base_url}}${ROUTES.token}`, header: [], body: form({ grant_type: 'client_credentials', scope: 'accounts', client_id: '{{client_id}}' }) },
    },
    {
      name: '3. Create an account access consent',
      event: [
        script('prerequest', `pm.collectionVariables.set('consent_expires', ${days(90)});`, `pm.collectionVariables.set('transactions_from', ${days(-365)});`),
        script('test', save('consent_id', 'pm.response.json().Data.ConsentId')),
      ],
      request: {
        method: 'POST',
        url: `{{mtls_base_url}}${consents}`,
        header: [...bearer('client_token'), { key: 'Content-Type', value: 'application/json' }],
        body: json({
          Data: {
            Permissions: ['ReadAccountsDetail', 'ReadBalances', 'ReadTransactionsCredits', 'ReadTransactionsDebits', 'ReadTransactionsDetail'],
            ExpirationDateTime: '{{consent_expires}}',
            TransactionFromDateTime: '{{transactions_from}}',
          },
          Risk: {},
        }),
      },
    },
    {
      name: '4. Push the authorization request (PAR), then open authorization_url in a browser',
      event: [
        script('prerequest',
          "const verifier = Array.from({ length: 64 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'[Math.floor(Math.random() * 66)]).join('');",
          "pm.collectionVariables.set('code_verifier', verifier);",
          "pm.collectionVariables.set('code_challenge', CryptoJS.SHA256(verifier).toString(CryptoJS.enc.Base64).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''));",
          "pm.collectionVariables.set('state', pm.variables.replaceIn('{{$guid}}'));"),
        script('test',
          save('request_uri', 'pm.response.json().request_uri'),
          `const url = pm.collectionVariables.get('issuer') + '${ROUTES.authorization}?client_id=' + encodeURIComponent(pm.collectionVariables.get('client_id')) + '&request_uri=' + encodeURIComponent(pm.response.json().request_uri);`,
          "pm.collectionVariables.set('authorization_url', url);",
          "console.log('Open in a browser, sign in as a sandbox customer, then copy the code from the redirect into the code variable: ' + url);"),
      ],
      request: {
        method: 'POST',
        url: `{{mtls_base_url}}${ROUTES.pushed_authorization_request}`,
        header: [],
        body: form({
          client_id: '{{client_id}}',
          response_type: 'code',
          redirect_uri: '{{redirect_uri}}',
          scope: 'openid accounts',
          claims: JSON.stringify({ id_token: { openbanking_intent_id: { value: '{{consent_id}}', essential: true } } }),
          code_challenge: '{{code_challenge}}',
          code_challenge_method: 'S256',
          state: '{{state}}',
        }),
        description: 'The request_uri lives 60 seconds: open authorization_url (see the console) at once. The bank sends the browser back to your redirect URI with ?code=…; put that code in the collection variable code.',
      },
    },
    {
      name: '5. Token (authorization code)',
      event: [script('test', save('access_token', 'pm.response.json().access_token'))],
      request: { method: 'POST', url: `{{mtls_base_url}}${ROUTES.token}`, header: [], body: form({ grant_type: 'authorization_code', code: '{{code}}', redirect_uri: '{{redirect_uri}}', code_verifier: '{{code_verifier}}', client_id: '{{client_id}}' }) },
    },
    {
      name: '6. GET /accounts',
      event: [script('test', save('account_id', 'pm.response.json().Data.Account[0].AccountId'))],
      request: { method: 'GET', url: `{{mtls_base_url}}${ACCOUNTS_API}/accounts`, header: bearer('access_token') },
    },
    { name: '7. GET /accounts/{AccountId}/balances', request: { method: 'GET', url: `{{mtls_base_url}}${ACCOUNTS_API}/accounts/{{account_id}}/balances`, header: bearer('access_token') } },
    { name: '8. GET /accounts/{AccountId}/transactions', request: { method: 'GET', url: `{{mtls_base_url}}${ACCOUNTS_API}/accounts/{{account_id}}/transactions`, header: bearer('access_token') } },
  ];
}

/** The collection for one software statement, its variables filled in. The account calls need the AISP role. */
export function postmanCollection(inputs: CollectionInputs): object {
  const variables: Record<string, string> = {
    issuer: inputs.issuer,
    mtls_base_url: inputs.mtlsBaseUrl,
    software_statement: inputs.softwareStatement,
    redirect_uri: inputs.redirectUri,
    subject_dn: inputs.subjectDn,
    client_id: '',
    code: '',
  };
  return {
    info: {
      name: `${inputs.clientName} — Portcullis sandbox`,
      description: 'Set transport.pem and transport.key of the bundle as the client certificate for the mutual-TLS host (Settings → Certificates), and trust the sandbox server CA or turn off SSL verification for localhost. Run the requests in order.',
      schema: SCHEMA,
    },
    variable: Object.entries(variables).map(([key, value]) => ({ key, value })),
    item: [registration(), ...(inputs.roles.includes('AISP') ? accountRequests() : [])],
  };
}
