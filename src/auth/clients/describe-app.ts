import type Provider from 'oidc-provider';

/** The partner's app as the customer knows it, from its registration and software statement. */
export interface AppIdentity {
  name: string;
  organisation?: string;
  /** An https URL only: anything else would be mixed content, or a tracker, on the bank's page. */
  logoUrl?: string;
}

/** Who `clientId` is; a client no longer registered is named by its id, so that it can still be revoked. */
export async function describeApp(provider: Provider, clientId: string): Promise<AppIdentity> {
  const client = await provider.Client.find(clientId);
  const app: AppIdentity = { name: client?.clientName ?? clientId };
  const organisation = client?.['org_name'];
  if (typeof organisation === 'string' && organisation) app.organisation = organisation;
  const logo = client?.logoUri;
  if (typeof logo === 'string' && URL.canParse(logo) && new URL(logo).protocol === 'https:') app.logoUrl = logo;
  return app;
}

/** Who is asking, in the words of its registration and software statement, as the sign-in and consent views name it. */
export async function describeClient(provider: Provider, clientId: string): Promise<{ clientName: string; orgName: string | undefined; logoUri: string | undefined }> {
  const app = await describeApp(provider, clientId);
  return { clientName: app.name, orgName: app.organisation, logoUri: app.logoUrl };
}
