import { defineErrors } from '../../shared/errors.ts';

export const XapiExportErrors = defineErrors('XAPI_EXPORT', {
  NOT_FOUND: { status: 404, message: 'no such xAPI export configuration' },
  BAD_PATH: { status: 400, message: 'invalid JSON path (docs/xapi-export.md: dots, ["key"] for IRIs and language maps, [0] for array items)' },
  BAD_CONFIG: { status: 400, message: 'invalid xAPI export configuration' },
  NAME_TAKEN: { status: 409, message: 'an xAPI export configuration of this name exists' },
  BAD_RANGE: { status: 400, message: 'the date range is invalid' },
  FAILED: { status: 500, message: 'the xAPI export could not be produced', retryable: true },
});
