import { defineErrors } from '../../shared/errors.ts';

export const SalesforceErrors = defineErrors('SALESFORCE', {
  NO_SUCH_OBJECT: { status: 400, message: 'the Salesforce org has no object of this API name (custom objects end in __c; check the name after a rename)' },
  NO_SUCH_FIELD: { status: 400, message: 'the Salesforce object has no field of this API name' },
  NOT_AN_EXTERNAL_ID: { status: 400, message: 'the field is not marked "External ID" on the Salesforce object: upserts need one so that a re-run never duplicates records' },
  BULK_JOB_FAILED: { status: 502, message: 'Salesforce failed the Bulk API job as a whole', retryable: true },
  BULK_JOB_TIMEOUT: { status: 504, message: 'the Bulk API job did not finish in time (it may still finish in Salesforce)', retryable: true },
  BAD_STATE: { status: 409, message: 'the saved position of the incremental import is not usable: reset the action\'s state (the next run reads everything)' },
  DELETED_WINDOW_EXPIRED: { status: 409, message: 'Salesforce no longer lists the records deleted since the last run (it keeps them 15 days): the next run reads everything' },
});
