import { defineErrors } from '../shared/errors.ts';

export const AuthErrors = defineErrors('AUTH', {
  BAD_CREDENTIALS: { status: 401, message: 'email or password is wrong' },
  TOKEN_INVALID: { status: 401, message: 'the API token is unknown, revoked or expired' },
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
  HR_UUID_LOCKED: { status: 400, message: 'the HR UUID was set by a connector and cannot be cleared or changed through the admin API' },
  UNKNOWN_FIELD: { status: 400, message: 'no active field has this name' },
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
