import { defineErrors } from '../shared/errors.ts';

/** Why the embedded PostgreSQL could not start; each message names the folder or port and the fix. */
export const DbErrors = defineErrors('DB', {
  EMBEDDED_UNREACHABLE: { status: 500, message: 'the embedded PostgreSQL cannot reach its files' },
  EMBEDDED_CLUSTER_GONE: { status: 500, message: 'the embedded PostgreSQL cluster of this data directory is missing' },
  EMBEDDED_PORT_IN_USE: { status: 500, message: 'the port of the embedded PostgreSQL is in use' },
  EMBEDDED_START_FAILED: { status: 500, message: 'the embedded PostgreSQL did not start' },
  MISSING_PRIVILEGE: { status: 500, message: 'the database user lacks a privilege lmc needs' },
  UNSUPPORTED_VERSION: { status: 500, message: 'this PostgreSQL version is not supported' },
});
