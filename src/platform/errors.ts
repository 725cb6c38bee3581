import { defineErrors } from '../shared/errors.ts';

export const AuthErrors = defineErrors('AUTH', {
  BAD_CREDENTIALS: { status: 401, message: 'email or password is wrong' },
  TOKEN_INVALID: { status: 401, message: 'the API token is unknown, revoked or expired' },
});

export const AccountErrors = defineErrors('ACCOUNT', {
  NOT_FOUND: { status: 404, message: 'account not found' },
  SLUG_TAKEN: { status: 409, message: 'an account with this slug exists' },
});
