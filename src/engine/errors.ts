import { defineErrors } from '../shared/errors.ts';

export const ConnectorErrors = defineErrors('CONNECTOR', {
  NOT_FOUND: { status: 404, message: 'no connector with this id' },
  ACTION_NOT_FOUND: { status: 404, message: 'the connector has no action with this id' },
  /** No action of the connector declares `userImport` (`lmc import run` on such a connection). */
  NO_USER_IMPORT: { status: 404, message: "the connection's connector does not import users" },
  BAD_MANIFEST: { status: 500, message: 'a connector manifest could not be loaded' },
  NO_SUCH_CHOICES: { status: 404, message: 'the connector offers no list of values of this name' },
  BAD_CHOICES_PARAMS: { status: 400, message: 'the parameters of the list of values are invalid' },
});

export const ConnectionErrors = defineErrors('CONNECTION', {
  NOT_FOUND: { status: 404, message: 'connection not found' },
  ONE_PER_ACCOUNT: { status: 409, message: 'an account has one connection of this connector' },
  NAME_TAKEN: { status: 409, message: 'a connection of this connector with this name exists (names are case-insensitive)' },
  INVALID_SETTINGS: { status: 400, message: 'the connection settings are invalid' },
  TEST_FAILED: { status: 400, message: 'the connection test failed, so nothing was saved' },
  INVALID_OPTIONS: { status: 400, message: 'the action settings are invalid' },
  DISABLED: { status: 409, message: 'the connection is disabled' },
  SECRET_KEY: { status: 500, message: 'the secret key (LMC_SECRET_KEY or <dataDir>/secret.key) is missing or invalid' },
  DECRYPT: { status: 500, message: 'a secret could not be decrypted (was the secret key changed?)' },
  SECRET_KEY_MISMATCH: { status: 500, message: 'this process has another secret key than the one the stored secrets were encrypted with' },
  NOT_INTERACTIVE: { status: 400, message: 'this connector does not sign in through the vendor\'s page' },
  /** The database that keeps a connection's shared vendor limits could not be reached (engine/connection-limiter.ts). */
  LIMITER_UNAVAILABLE: { status: 503, message: 'the connection\'s request limits could not be checked in the database; the call was not sent', retryable: true },
});

export const ScheduleErrors = defineErrors('SCHEDULE', {
  INVALID: { status: 400, message: 'the schedule is invalid' },
  BAD_TIME_ZONE: { status: 400, message: 'unknown IANA time zone' },
  UNIT_NOT_ALLOWED: { status: 400, message: 'this action cannot repeat in this unit' },
});

export const RunErrors = defineErrors('RUN', {
  NOT_FOUND: { status: 404, message: 'run not found' },
  NOT_LATEST: { status: 409, message: 'only the latest run of an action can be re-run' },
  NOT_FINISHED: { status: 409, message: 'the run has not finished' },
  NOT_CANCELLABLE: { status: 409, message: 'the run has already ended' },
  NOT_AWAITING_APPROVAL: { status: 409, message: 'the run does not wait for approval' },
  DRY_RUN_UNSUPPORTED: { status: 400, message: 'this action has no dry run' },
  BAD_WINDOW: { status: 400, message: 'the end date must be after the start date' },
  FUTURE_WINDOW: { status: 400, message: 'the start and end dates of a run cannot be in the future' },
  FILE_NOT_FOUND: { status: 404, message: 'the run has no file with this name' },
  DISABLE_ACCESS_IMPORT_ONLY: { status: 400, message: 'only on-demand runs may disable access during execution' },
  /** The code a failed run keeps when its error carried none (a bug or an unforeseen failure). */
  FAILED: { status: 500, message: 'the run failed' },
  CANCELLED: { status: 409, message: 'the run was cancelled' },
  INTERRUPTED: { status: 503, message: 'the run was interrupted: its worker stopped', retryable: true },
});
