import { defineErrors } from '../../shared/errors.ts';

/** Errors of the "Import xAPI" action and its configuration service (docs/xapi-import.md). */
export const XapiImportErrors = defineErrors('XAPI_IMPORT', {
  BAD_CONFIG: { status: 400, message: 'invalid xAPI import configuration' },
  BAD_PATH: { status: 400, message: 'invalid JSON path (docs/xapi-import.md: dots, extensions.http://..., ["key"], [0])' },
  NOT_FOUND: { status: 404, message: 'no such xAPI import configuration on this connection' },
  NAME_TAKEN: { status: 409, message: 'an xAPI import configuration of this name exists on this connection' },
  NO_CONFIGURATION: { status: 400, message: 'the Import xAPI action has no configuration (add one: name, source file name, mapping)' },
  MISSING_COLUMNS: { status: 400, message: 'the file lacks columns the configuration maps or filters on; nothing of it was imported' },
  FILE_NOT_FOUND: { status: 404, message: 'no such file in import/xapi/ of the drop' },
  CANCELLED: { status: 409, message: 'the xAPI import was cancelled; batches stored before stay stored' },
});
