import { defineErrors } from '../shared/errors.ts';

export const AuthErrors = defineErrors('AUTH', {
  BAD_CREDENTIALS: { status: 401, message: 'email or password is wrong' },
  TOKEN_INVALID: { status: 401, message: 'the API token is unknown, revoked or expired' },
  THROTTLED: { status: 429, message: 'too many failed sign-ins for this email or from this address; wait before trying again', retryable: true },
  RESET_TOKEN_INVALID: { status: 400, message: 'the password reset link is unknown, used or expired: ask an admin for a new one' },
  CURRENT_PASSWORD_WRONG: { status: 400, message: 'the current password is wrong' },
});

export const AccountErrors = defineErrors('ACCOUNT', {
  NOT_FOUND: { status: 404, message: 'account not found' },
  SLUG_TAKEN: { status: 409, message: 'an account with this slug exists' },
});

export const UserErrors = defineErrors('USER', {
  NOT_FOUND: { status: 404, message: 'user not found' },
  EMAIL_TAKEN: { status: 409, message: 'a user with this email exists in the account (emails are case-insensitive)' },
  MANAGER_NOT_FOUND: { status: 400, message: 'the manager is not a user of this account' },
  MANAGER_CYCLE: { status: 400, message: 'this manager would make a reporting cycle' },
  HR_UUID_LOCKED: { status: 400, message: 'the UUID was set by an HR connector (e.g. Workday) and cannot be cleared or changed by an administrator; to change it, contact support' },
  UNKNOWN_FIELD: { status: 400, message: 'no active field has this name' },
  PASSWORD_NOT_SETTABLE: {
    status: 403,
    message: "nobody sets another user's password: an admin issues a one-time reset link (POST /api/v1/users/:id/password-reset); you change your own with POST /api/v1/me/password and the current one",
  },
  ROLES_ADMIN_ONLY: { status: 403, message: 'only an admin may give or change roles' },
  OWN_ROLES: { status: 403, message: 'nobody can give themselves a role they do not hold: ask another admin' },
  ADMIN_PROTECTED: { status: 403, message: 'only an admin may change the email or state of a user who holds the admin role' },
  LAST_ADMIN: { status: 409, message: 'the account must keep an active admin: this is the last one (make another user admin first)' },
  DATA_SOURCE_NOT_FOUND: { status: 400, message: 'the data source is not a connection of this account' },
  NOT_AN_ADMIN: { status: 400, message: 'this user holds no admin role: give them a one-time link instead (lmc users reset-link)' },
});

export const FieldErrors = defineErrors('FIELD', {
  NOT_FOUND: { status: 404, message: 'active field not found' },
  NAME_TAKEN: { status: 409, message: 'an active field with this name exists (names are case-insensitive)' },
  NOT_MANUAL: { status: 400, message: 'learners may only fill manual active fields' },
});

export const GroupErrors = defineErrors('GROUP', {
  NOT_FOUND: { status: 404, message: 'group not found' },
  NAME_TAKEN: { status: 409, message: 'a custom group with this name exists' },
  AUTOMATIC: { status: 400, message: 'automatic groups are kept by the platform and cannot be edited' },
});

export const SkillErrors = defineErrors('SKILL', {
  NOT_FOUND: { status: 404, message: 'skill not found' },
  LEVEL_NOT_FOUND: { status: 404, message: 'skill level not found' },
  NAME_TAKEN: { status: 409, message: 'a skill with this name exists (names are case-insensitive)' },
  RETIRED: { status: 400, message: 'the skill is retired' },
});

export const TrainingErrors = defineErrors('TRAINING', {
  NOT_FOUND: { status: 404, message: 'training not found' },
  LO_ID_TAKEN: { status: 409, message: 'a training with this LO id exists in the account' },
  BAD_ITEM: { status: 400, message: 'a learning path or certification may only contain courses of the account' },
  INSTANCE_NOT_FOUND: { status: 404, message: 'training instance not found' },
  INSTANCE_NAME_TAKEN: { status: 409, message: 'the training has an instance with this name' },
  SESSION_NOT_FOUND: { status: 404, message: 'session not found' },
  BAD_SESSION_TIMES: { status: 400, message: 'a session must end after it starts' },
});

export const EnrollmentErrors = defineErrors('ENROLLMENT', {
  NOT_FOUND: { status: 404, message: 'enrollment not found' },
  ALREADY_ENROLLED: { status: 409, message: 'the learner is already enrolled in this instance' },
  FULL: { status: 409, message: 'the instance has no seat and no waitlist place left' },
  INSTANCE_RETIRED: { status: 400, message: 'the instance is retired' },
  BAD_TRANSITION: { status: 400, message: 'this status change is not allowed' },
  NOT_ENROLLED: { status: 400, message: 'the learner is not enrolled in this training' },
});
