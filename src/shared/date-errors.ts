import { defineErrors } from './errors.ts';

/** Dates typed by a person or a client (API query/body, CLI options): see dates.ts. */
export const DateErrors = defineErrors('DATE', {
  INVALID: { status: 400, message: 'not a valid date' },
});
