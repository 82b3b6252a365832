/** Endpoint paths, named after what they do rather than the library's defaults. */
export const ROUTES = {
  authorization: '/authorize',
  pushed_authorization_request: '/par',
  token: '/token',
  userinfo: '/userinfo',
  jwks: '/jwks',
  registration: '/register',
  introspection: '/token/introspect',
  revocation: '/token/revoke',
  end_session: '/logout',
} as const;
