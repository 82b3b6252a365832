/** A bank customer as the authorization server knows them. */
export interface Customer {
  id: string;
  displayName: string;
}

/**
 * How the login page checks who is there. The sandbox implements it with hashed passwords; a bank
 * plugs in its own (its identity provider, a one-time code, an app push) behind the same two calls.
 */
export interface Authenticator {
  /** Returns the customer when the credentials are right, undefined otherwise (never says which part was wrong). */
  authenticate(username: string, password: string): Promise<Customer | undefined>;
  /** Looks a customer up by id, for ID token and userinfo claims. */
  findCustomer(id: string): Promise<Customer | undefined>;
}
