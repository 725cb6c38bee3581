import { defineErrors } from '../../shared/errors.ts';

export const AuthErrors = defineErrors('AUTH', {
  NEEDS_REAUTHORIZATION: {
    status: 409,
    message: 'the connection needs to be authorized again: the system refused its saved authorization (an administrator revoked it, or it expired)',
  },
  NOT_AUTHORIZED: { status: 409, message: 'the connection has not been authorized yet: use Connect on its page' },
  TOKEN_REQUEST_FAILED: { status: 502, message: 'the authorization server could not answer the token request (try again later)', retryable: true },
  TOKEN_REQUEST_REFUSED: { status: 400, message: 'the authorization server refused the token request' },
  INVALID_CLIENT: { status: 400, message: 'the authorization server refused the client credentials (client id or secret)' },
  BAD_TOKEN_RESPONSE: { status: 502, message: 'the authorization server answered without a usable access token' },
  LOGIN_FAILED: { status: 400, message: 'the system refused the sign-in (user name or password)' },
  BAD_STATE: { status: 400, message: 'the authorization answer does not belong to a request of this server, or came too late' },
  NOT_INTERACTIVE: { status: 409, message: "the connection's way of signing in needs no Connect at the vendor" },
  BAD_KEY: { status: 400, message: 'the private key cannot be read (expected PEM, PKCS#8 or PKCS#1)' },
});
