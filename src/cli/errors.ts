import { defineErrors } from '../shared/errors.ts';

/** Failures of the command line itself (the services' errors keep their own codes). */
export const CliErrors = defineErrors('CLI', {
  USAGE: { status: 400, message: 'the command line is not valid (see lmc <command> --help)' },
  FILE: { status: 400, message: 'a file or folder could not be read or written' },
  UNREACHABLE: { status: 502, message: 'a server could not be reached (the database in DATABASE_URL, or the address named)', retryable: true },
  UNEXPECTED: { status: 500, message: 'unexpected error (run again with LMC_DEBUG=1 for details)' },
});
