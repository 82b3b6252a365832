/** A bank customer as the authorization server knows them. */
export interface Customer {
  id: string;
  displayName: string;
}

/**
 * What a sign-in proved, as the ID token states it: the Authentication Context Class Reference
 * (`acr`, OIDC Core §2; for Open Banking one of `OPEN_BANKING_ACR`) and the Authentication Method
 * References (`amr`, RFC 8176 §2 values such as `pwd` and `otp`).
 */
export interface SignIn {
  customer: Customer;
  acr: string;
  amr: string[];
}

/** One sign-in's second step: its code is for this customer, in this interaction, from this moment. */
export interface SecondFactorAttempt {
  /** What the password proved; the second factor adds to it. */
  firstFactor: SignIn;
  /** The authorization interaction the sign-in belongs to: a code is good for it alone. */
  interactionUid: string;
  /** When the password was accepted, epoch seconds: a code is good for a short while from then. */
  startedAt: number;
}

/** What the code page tells the customer. */
export interface CodeChallenge {
  /** Where to find the code, in plain words ("We sent a 6-digit code to your phone ending 0147."). */
  instructions: string;
  /**
   * Only for a sandbox, whose test customers have no phones: the code itself, shown on the page
   * with a note saying what a real bank would do instead. A real second factor never sets it.
   */
  shownCode?: { code: string; note: string };
}

/**
 * The second factor that raises a password sign-in to strong customer authentication (PSD2
 * Art. 97: two independent elements). The code page is ours; how the code reaches the customer (a
 * text message, the bank's app) and how it is checked are the bank's.
 */
export interface SecondFactor {
  /** The `acr` a sign-in has once this factor is passed: what every authorization achieves. */
  readonly acr: string;
  /** Starts the step for a customer who gave the right password (sends the code); called once per sign-in. */
  challenge(attempt: SecondFactorAttempt): Promise<CodeChallenge>;
  /** What the whole sign-in proved when `code` is right for the attempt and still fresh; undefined otherwise. */
  verify(attempt: SecondFactorAttempt, code: string): Promise<SignIn | undefined>;
}

/**
 * How the sign-in pages check who is there. The sandbox implements it with hashed passwords and a
 * one-time code shown on the page; a bank plugs in its own (its identity provider, a text message,
 * an app push) behind the same calls. Each check reports what it proved (`acr`, `amr`), which the
 * ID token carries.
 */
export interface Authenticator {
  /** The first factor: what a right username and password prove, undefined otherwise (never says which part was wrong). */
  authenticate(username: string, password: string): Promise<SignIn | undefined>;
  /** Asked for after the password in every authorization: PSD2 wants strong authentication for each. */
  readonly secondFactor: SecondFactor;
  /** Looks a customer up by id, for ID token and userinfo claims. */
  findCustomer(id: string): Promise<Customer | undefined>;
}
