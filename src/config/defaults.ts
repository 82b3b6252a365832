/**
 * Every tunable the product has, with its unit, default and a recommendation. The environment
 * overrides a subset of these (see `env.schema.ts`); the rest are policy that a deployment changes
 * in code review, not at 3 a.m. through a variable.
 */
export const defaults = {
  /** Interface the listeners bind to. Default 127.0.0.1; containers set 0.0.0.0. */
  host: '127.0.0.1',

  /** Browser-facing HTTPS port (authorization endpoint, login, discovery). Default 8443. */
  httpsPort: 8443,

  /**
   * Partner-facing mutual-TLS port (token, PAR, registration, introspection, revocation, resource
   * APIs). A client certificate is requested, never demanded at the TLS layer. Default 8444.
   */
  mtlsPort: 8444,

  /**
   * The gateway's public API listener (TLS, no client certificate): APIs that are not Open
   * Banking, called with API keys or OAuth bearer tokens. Default 8445.
   */
  gatewayPort: 8445,

  /** The admin API's listener (TLS, bearer admin token). Default 8446. */
  adminPort: 8446,

  /**
   * Interface the admin API binds to. Default 127.0.0.1: only this machine reaches it. Expose it
   * (0.0.0.0) only behind a network policy that lets the operators' network in and nobody else.
   */
  adminHost: '127.0.0.1',

  /**
   * What the Open Banking APIs' access tokens are. `jwt` (RFC 9068, signed PS256 with our keys,
   * typ `at+jwt`): the gateway checks them against our JWKS without a store round trip, and any
   * resource server of the bank can too. `opaque`: a random reference the resource server must
   * look up (the gateway does, through a short cache) and that the introspection endpoint
   * describes. The cost of `jwt`: oidc-provider cannot introspect or revoke a JWT access token by
   * its value (RFC 7009 lets it decline), so such a token ends with its grant (the consent
   * revoked, the refresh token revoked) or its expiry, `ttl.accessToken` (5 minutes). Default `jwt`.
   */
  accessTokenFormat: 'jwt' as 'jwt' | 'opaque',

  /**
   * Developer sign-ups a client network (an IPv4 address, an IPv6 /64) may send to the portal in an
   * hour; each sends a mail. Default 20; an address is also sent at most 3 sign-up mails an hour.
   */
  portalSignUpsPerHour: 20,

  gateway: {
    /**
     * What a rate-limited call gets when Redis (the shared counters) cannot be reached: `open`
     * admits it (availability first; every such call counts in `portcullis_gateway_redis_failures_total`),
     * `closed` refuses it with 503 and `Retry-After` (limits first). Default `open`, as a
     * gateway's limits protect upstreams rather than money; choose `closed` where a quota is billed.
     */
    onRedisFailure: 'open' as 'open' | 'closed',

    /**
     * Upstream timeouts, seconds: opening a connection (default 2), waiting for the response
     * headers (default 30) and between two chunks of the body (default 30). Past them the caller
     * gets 504. undici checks them about every half second, so they may fire up to a second late.
     * Lower `upstreamHeadersTimeout` for APIs that must answer fast; 30 s suits report-style calls.
     */
    upstreamConnectTimeout: 2,
    upstreamHeadersTimeout: 30,
    upstreamBodyTimeout: 30,

    /**
     * A target's circuit breaker opens after this many consecutive failures (connection errors,
     * timeouts, 502/503/504; a 500 is the route's bug, not the target's). Default 5.
     */
    breakerFailures: 5,
    /** Seconds an open breaker waits before letting one probe through. Default 10. */
    breakerHalfOpenAfter: 10,
    /**
     * Further attempts of an idempotent call (GET, HEAD, OPTIONS, PUT, DELETE) whose target failed
     * before answering, on another target when there is one. Default 1. POST and PATCH never retry.
     */
    upstreamRetries: 1,

    /**
     * Seconds a payment submission sent to the bank counts as in flight: meanwhile a retry under
     * the same `x-idempotency-key` is answered 409 with `Retry-After`. Past it with no answer kept
     * (the instance stopped, or the store went away before the answer was written), the retry is
     * sent to the bank again under the same key, which the bank core dedups. Default 120: above the
     * longest a submission can take (connect, headers and body timeouts; a POST is never retried).
     */
    paymentSubmissionLease: 120,

    /** Seconds the signed caller identity header is valid; it is used at once. Default 60. */
    identityTtl: 60,

    /** Largest request body the gateway forwards, bytes. Default 1 MiB; larger gets 413. */
    maxBodyBytes: 1024 * 1024,

    /**
     * How long a checked API key, an application's subscriptions and a grant's standing are
     * answered from memory, seconds. Default 60. Revocations and suspensions do not wait for it:
     * their events (LISTEN/NOTIFY across instances) drop the entry at once; it only bounds how
     * long a lost notification could matter. A key that did not check out is remembered 5 s
     * (`credentialMissTtl`), to keep a guessing loop off the store.
     */
    credentialCacheTtl: 60,
    credentialMissTtl: 5,

    /**
     * Seconds between full re-reads of the catalogue (APIs, routes, plans), on top of the reads
     * every change triggers at once. Default 60: a safety net for a lost notification.
     */
    catalogueSafetyReload: 60,

    /**
     * Seconds between flushes of the analytics rollups (per minute, API, route, application, plan
     * and status) to the store. Default 10: the portal's usage charts lag by at most this much.
     */
    analyticsFlushInterval: 10,
    /**
     * Rollup rows kept in memory while the store cannot take them; past it the oldest minutes go
     * (counted in `portcullis_gateway_dropped_calls_total`). Default 50,000: hours of a busy
     * gateway's rollups, some tens of MB.
     */
    analyticsMaxPendingRows: 50_000,
  },

  /**
   * The audit log (`src/audit/`): entries are appended in batches of up to `batchSize` (default
   * 200), each batch one transaction; an entry waits at most `flushInterval` seconds for its batch
   * (default 1), which is also the wait before a failed write is retried. Past `queueLimit` queued
   * entries (default 100,000) the backlog is reported at error level; entries are kept all the
   * same, never dropped. A call to an API marked `audit: required` waits for its entry's commit and
   * fails closed (503) when it cannot be written.
   */
  audit: {
    batchSize: 200,
    flushInterval: 1,
    queueLimit: 100_000,
  },

  /**
   * The transport certificates clients authenticate with on the mutual-TLS listener, kept for the
   * console's expiry warnings (`src/auth/mtls/client-certificate-sightings.ts`). A (client,
   * certificate) pair is written when this process first sees it, then its last sighting at most
   * every `refreshInterval` seconds (default 3600: "last seen" is right to the hour). At most
   * `maxRemembered` pairs are remembered (default 10,000, about a megabyte; past it the oldest is
   * forgotten and written again when next seen) and `maxPendingWrites` writes wait at once
   * (default 100; past it a sighting is shed, counted and logged, and written at its next one).
   */
  clientCertificates: {
    refreshInterval: 3600,
    maxRemembered: 10_000,
    maxPendingWrites: 100,
  },

  /**
   * `BANK_INTEGRATION` outside production: the sandbox bank (`sandbox/sandbox-bank.ts`, its test
   * customers, the one-time code shown on the page, its accounts and test directory), resolved from
   * the working directory like the folders below. Production must name the bank's own module.
   */
  sandboxBankIntegration: './sandbox/sandbox-bank.ts',

  /** Folder for the embedded database and development secrets. Default `./data`. */
  dataDir: './data',

  /** Folder for generated development certificates and keys. Default `./certs`. */
  certsDir: './certs',

  /** pino level. Default `info`; `debug` shows every oidc-provider event. */
  logLevel: 'info',

  ttl: {
    /**
     * Access tokens, seconds. Default 300. FAPI 2.0 recommends short-lived sender-constrained
     * tokens; a partner refreshes rather than holding a long-lived one.
     */
    accessToken: 300,

    /** Authorization codes, seconds. Default 60: FAPI 2.0 §5.3.2.1 caps it at one minute. */
    authorizationCode: 60,

    /** Client credentials tokens, seconds. Default 300. */
    clientCredentials: 300,

    /** ID tokens, seconds. Default 300. */
    idToken: 300,

    /** Refresh tokens, seconds. Default 90 days, the UK Open Banking re-authentication period. */
    refreshToken: 90 * 24 * 60 * 60,

    /** Grants, seconds. Default 90 days, aligned with refresh tokens. */
    grant: 90 * 24 * 60 * 60,

    /** Login and consent interactions, seconds. Default 10 minutes. */
    interaction: 10 * 60,

    /** Browser sessions at the authorization server, seconds. Default 1 hour. */
    session: 60 * 60,


  },

  /**
   * How long a client's registration is reused from memory before it is read from the store again,
   * seconds. Default 10. oidc-provider looks the client up on every token request; the cache takes
   * that read off the store. A client updated or deleted anywhere (this instance, another one, the
   * CLI) is dropped from it at once, by its `client.*` event (LISTEN/NOTIFY across instances), so
   * this only bounds how long a lost notification could matter: a deleted partner would keep
   * getting tokens for this long. Unknown client ids are never cached, so a new registration works
   * everywhere at once. 0 turns the cache off. Read by `startPortcullis` straight from here, as
   * policy rather than a per-deployment setting.
   */
  clientCacheTtl: 10,

  /**
   * The PostgreSQL connection pools (the store and its relaxed-commit twin), and what every surface
   * answers while the database cannot be reached. knex waits 60 s for a connection and pg waits
   * forever for a connect or a reply unless told otherwise, so without these an outage would hold
   * each request for a minute (or for good, behind a silent network) and then answer 500. With
   * them a refused connection fails at once, a silent database within a few seconds, and every
   * surface answers 503 with `Retry-After` in its own format. Dead connections are dropped from
   * the pool as soon as they are noticed, so the app recovers by itself when the database is back.
   * They apply to every statement, migrations included: a step too long for them (an index on a
   * large table) is run by hand, with psql, before the migration that records it. Not used by the
   * embedded PGlite store, which runs in this process. Read by `openStore` straight from here, as
   * policy.
   */
  store: {
    /**
     * Opening a connection (TCP, TLS, authentication), seconds: pg's `connectionTimeoutMillis`.
     * Default 2. A database on the same network connects in milliseconds; raise it only for a
     * distant one.
     */
    connectTimeout: 2,
    /**
     * Waiting for a connection from the pool, seconds: knex's `acquireConnectionTimeout` (its
     * default is 60). Default 3, above `connectTimeout` so that a silent database is reported as
     * such. Under a load the pool cannot serve, requests past it are shed with a 503 rather than
     * queued for a minute. Keep it above `connectTimeout`.
     */
    acquireTimeout: 3,
    /**
     * The longest a statement may run on the server, seconds: PostgreSQL's `statement_timeout`,
     * which cancels it there (SQLSTATE 57014) and frees its locks. Default 3: our statements take
     * milliseconds; one that runs for seconds is a sick database, and the caller gets a 503.
     * Raise it only with `queryTimeout`, and only if a statement of ours legitimately runs longer.
     */
    statementTimeout: 3,
    /**
     * Waiting for the reply to a statement already sent, seconds: pg's `query_timeout`, for a
     * connection that went silent (a network partition), where `statementTimeout` never fires.
     * Default 4, above `statementTimeout`, so that a slow statement is cancelled by the server
     * first and its connection stays usable; a connection that timed out here is dropped. Keep
     * it just above `statementTimeout`: it is how long a request waits on a silent network.
     */
    queryTimeout: 4,
    /**
     * `Retry-After` on every 503 answered because the store is unavailable, seconds. Default 30:
     * about what a managed PostgreSQL failover takes; asking clients back sooner only adds load to
     * a database that is coming back. Set it near your own failover or restart time.
     */
    retryAfter: 30,
  },

  /**
   * How long each listener (browser and partner) lets a connection hold a socket, and how many it
   * holds at once. Node's own defaults let a client that never finishes its request keep a socket
   * for 70 s or more (a 60 s headers timeout checked every 30 s) and never refuse a connection, so
   * a few thousand slow clients (slowloris) would take every file descriptor. Read by the
   * listeners through the config; `KEEP_ALIVE_TIMEOUT` and `MAX_CONNECTIONS` override the two
   * that depend on the deployment.
   */
  listeners: {
    /**
     * Seconds from the start of a request (for a connection's first, from its opening) to the end
     * of its headers; past it the client gets a 408 and the connection is closed. Default 10. A
     * partner's headers (a DPoP proof, a certificate from a proxy) are a few KB and arrive in one
     * round trip; 10 s allows for the slowest mobile network and cuts a slowloris six times sooner
     * than Node's 60 s. Must not exceed `requestTimeout`.
     */
    headersTimeout: 10,

    /**
     * Seconds to receive a whole request, headers and body; past it the client gets a 408. Default
     * 30. Bodies here are at most 64 KiB (consents, registrations, forms): under 3 s even at 2G
     * speeds, so 30 s only ends clients that drip their body on purpose (Node's default is 300 s).
     */
    requestTimeout: 30,

    /**
     * Seconds an idle keep-alive connection is kept after a response (Node adds a 1 s grace, so
     * that a request sent just as it expires is not lost). Default 5, Node's own. Behind a load
     * balancer that reuses connections, set it above the balancer's idle timeout (e.g. 65 for an
     * AWS ALB's 60), or the balancer will now and then send a request on a connection we are
     * closing and answer 502. `KEEP_ALIVE_TIMEOUT` overrides it.
     */
    keepAliveTimeout: 5,

    /**
     * Seconds for a client to complete the TLS handshake; past it the socket is destroyed. Default
     * 10 (Node's is 120). A handshake takes two round trips and one signature.
     */
    tlsHandshakeTimeout: 10,

    /**
     * Seconds between the checks that enforce `headersTimeout` and `requestTimeout`: a timeout is
     * enforced up to this much late. Default 1 (Node's 30 would stretch a 10 s headers timeout to
     * 40). The check walks only the connections with a request in progress.
     */
    timeoutCheckInterval: 1,

    /**
     * Connections each listener holds at once; beyond it a new connection is closed as soon as it
     * is accepted, before its TLS handshake. Default 10,000. An idle TLS connection costs some
     * tens of KB, so 10,000 stay well under a gigabyte, and both listeners together need about
     * 20,000 file descriptors: raise `ulimit -n` above that (containers usually allow 1,048,576;
     * many shells 1,024). Size it to the partners' concurrent connections with headroom, and per
     * instance behind a load balancer. `MAX_CONNECTIONS` overrides it.
     */
    maxConnections: 10_000,
  },

  /**
   * How deep a request's JSON may nest (objects and arrays; the outermost is level 1), in a JSON
   * body, a JSON parameter (`claims`, `authorization_details`) or a JWT's header and claims.
   * Deeper input is refused at the listener's edge (400), before anything walks it: JSON.parse
   * copes with any depth, but JSON.stringify and our own recursive code (the idempotency hash's
   * canonical JSON) overflow the stack a few thousand levels down. Default 32. Open Banking bodies
   * are about 6 deep (`Data.Initiation.CreditorAccount.Identification`), registration metadata 4
   * (`jwks.keys[0].x5c[0]`), the deepest OpenID `claims` requests (with `verified_claims`) about
   * 10: 32 leaves three times that, and stays a hundred times below the overflow. Read by the
   * listeners straight from here, as policy.
   */
  maxJsonDepth: 32,

  /**
   * How a process stops on SIGTERM or SIGINT (a rolling deployment, a scale-in): readiness
   * (`/readyz`) answers 503 at once; after `delay` the listeners stop accepting connections, idle
   * keep-alive connections are closed and every answer still in flight carries `Connection:
   * close`; then it waits for those answers up to `timeout`, cuts what is left, flushes the
   * analytics and the audit log, and exits.
   */
  shutdown: {
    /**
     * Seconds between readiness turning false and the listeners closing, so that the load
     * balancer stops sending new requests first. Default 0 (one process on a laptop). Behind a
     * balancer that polls readiness, set it above the balancer's poll interval times its failure
     * threshold (Kubernetes: periodSeconds × failureThreshold, plus the time endpoints take to
     * update: 10 s is usual). `SHUTDOWN_DELAY` overrides it.
     */
    delay: 0,
    /**
     * Seconds the requests in flight are given to finish once the listeners close; what is left
     * is cut. Default 25: under Kubernetes's 30-second termination grace, with room for the
     * flushes. Keep `delay` + `timeout` + a few seconds under the orchestrator's grace period.
     * `SHUTDOWN_TIMEOUT` overrides it.
     */
    timeout: 25,
  },

  /** How often the expired-row sweeper runs, seconds. Default 60. */
  sweepInterval: 60,

  /** Rows the sweeper deletes per statement, so that it never holds long locks. Default 500. */
  sweepBatchSize: 500,

  /**
   * Signing keys: a rotated-out key stays published this long after the rotation, seconds, so
   * that tokens and ID tokens it signed can still be verified. Default 1 day, longer than any
   * token signed with it lives.
   */
  retiredKeyGrace: 24 * 60 * 60,

  /**
   * Signing keys: how long `keys rotate` publishes a new key, for verification only, before it
   * starts signing, seconds. Partners cache our JWKS (openid-client fetches it again for an
   * unknown kid only when its copy is over 60 s old; other libraries keep it for minutes), so the
   * first tokens signed with a kid they have never seen could fail to verify. Default 10 minutes:
   * more than the instances' 30 s poll (`SIGNING_KEY_POLL_SECONDS`) plus common JWKS caches. Keep it
   * above the poll interval; `keys rotate --now` skips it for a compromised key. Read by the CLI
   * straight from here, as it is policy, not a per-deployment setting.
   */
  keyActivationDelay: 10 * 60,

  /**
   * Login throttling against password guessing, in front of whichever authenticator the bank plugs
   * in, counted in the database so that it holds across instances and restarts. Each key may send
   * `maxFailures` wrong answers (passwords and one-time codes alike) within `windowSeconds` of its
   * first one; the attempt after that is refused (HTTP 429, `Retry-After`) and blocks the key for
   * `blockSeconds`, during which nothing is checked at all. Right answers never count, however
   * many arrive at once; a completed two-factor sign-in (the right one-time code) resets its
   * username, a right password alone (the dashboard's sign-in included) does not. Read by `startPortcullis`
   * straight from here, as policy.
   */
  loginThrottle: {
    /**
     * Per username, trimmed and lower-cased; usernames no customer has count the same, so the
     * answer never tells which exist. Defaults: 5 failures in 15 minutes block it for 15 minutes.
     * Keep it low (targeted guessing is what it stops) and the block short: anyone can lock a
     * customer out for this long by guessing wrong on purpose.
     */
    username: {
      /** Wrong answers allowed per window. Default 5. */
      maxFailures: 5,
      /** Window, seconds. Default 15 minutes. */
      windowSeconds: 15 * 60,
      /** Block, seconds. Default 15 minutes. */
      blockSeconds: 15 * 60,
    },
    /**
     * Per client address (`ctx.ip`, so the forwarded one behind `TRUSTED_PROXIES`; an IPv6 /64
     * counts as one address), against credential stuffing across many usernames. Defaults: 50
     * failures in an hour block the address for an hour. Raise it if many customers share
     * addresses (carrier-grade NAT, a corporate proxy): they share this budget.
     */
    address: {
      /** Wrong answers allowed per window. Default 50. */
      maxFailures: 50,
      /** Window, seconds. Default 1 hour. */
      windowSeconds: 60 * 60,
      /** Block, seconds. Default 1 hour. */
      blockSeconds: 60 * 60,
    },
  },

  openBanking: {
    /**
     * `OB_MESSAGE_SIGNING`: verify `x-jws-signature` on payment consent requests and sign their
     * responses (OB Read/Write v3.1.11 message signing). Default on, as the standard says; some
     * ecosystems have dropped message signing, and they turn it off.
     */
    messageSigning: true,
    /**
     * `OB_ORGANISATION_ID`: the bank's organisation id in its directory, which names it as the
     * signer (`http://openbanking.org.uk/iss`) of its response signatures. Default: the sandbox's.
     */
    organisationId: 'portcullis-sandbox-bank',
    /** `OB_TRUST_ANCHOR`: the directory every message signature names as its trust anchor. Default `openbanking.org.uk`. */
    trustAnchor: 'openbanking.org.uk',
  },
} as const;

export type Defaults = typeof defaults;
