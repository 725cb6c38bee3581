import { defineErrors } from '../../shared/errors.ts';

/**
 * Errors of the authorization server's protocol endpoints. The reasons are RFC 6749 §5.2 / RFC 7009 / RFC 6750
 * error codes in capitals: the token endpoint answers `{ "error": "<reason in lower case>", "error_description" }`
 * (see rfcError), the rest of the API the usual `{ error: { code, message } }`.
 */
export const OAuthErrors = defineErrors('OAUTH', {
  INVALID_REQUEST: { status: 400, message: 'the OAuth request is missing a parameter, repeats one or has a wrong value' },
  INVALID_CLIENT: { status: 401, message: 'client authentication failed: unknown client id, wrong client secret, or the application is not approved' },
  INVALID_GRANT: { status: 400, message: 'the authorization code or refresh token is invalid, expired, used already, revoked, or was issued to another client or redirect URI' },
  UNAUTHORIZED_CLIENT: { status: 400, message: 'this client may not do this (the token was issued to another application)' },
  UNSUPPORTED_GRANT_TYPE: { status: 400, message: 'grant_type must be authorization_code or refresh_token' },
  UNSUPPORTED_RESPONSE_TYPE: { status: 400, message: 'response_type must be code' },
  INVALID_SCOPE: { status: 400, message: 'the scope is unknown, not registered for the application, or beyond what the user may grant' },
  ACCESS_DENIED: { status: 403, message: 'the user denied the authorization' },
  UNSUPPORTED_TOKEN_TYPE: { status: 400, message: 'token_type_hint must be access_token or refresh_token' },
  INVALID_TOKEN: { status: 401, message: 'the OAuth access token is unknown, expired or revoked' },
  INSUFFICIENT_SCOPE: { status: 403, message: 'the OAuth access token lacks the scope this call needs' },
  NOT_FOR_OAUTH_TOKENS: { status: 403, message: 'OAuth access tokens reach only the learner API (/api/v1/learner/...); this route needs a web session or an API token' },
});

/** Errors of the Applications screens and API (registering and managing OAuth applications). */
export const OAuthAppErrors = defineErrors('OAUTH_APP', {
  NOT_FOUND: { status: 404, message: 'no application with this id or client id in the account' },
  NAME_TAKEN: { status: 409, message: 'the account has an application with this name (names are case-insensitive)' },
  BAD_REDIRECT_URI: { status: 400, message: 'a redirect URI must be an absolute https URL (http only for localhost), without a fragment' },
  REDIRECT_URI_MISMATCH: { status: 400, message: 'redirect_uri is not one of the redirect URIs registered for the application (exact match)' },
  NOT_APPROVED: { status: 400, message: 'the application is not approved: an admin approves it under Applications first' },
  REVOKED: { status: 409, message: 'the application is revoked' },
});

/** The RFC 6749 §5.2 `error` value of one of the codes above (LMC_ERR_OAUTH_INVALID_GRANT -> invalid_grant). */
export function rfcError(code: string): string | undefined {
  return code.startsWith('LMC_ERR_OAUTH_') && !code.startsWith('LMC_ERR_OAUTH_APP_') ? code.slice('LMC_ERR_OAUTH_'.length).toLowerCase() : undefined;
}
