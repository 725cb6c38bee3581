import { defineErrors } from '../shared/errors.ts';

/** Errors of the xAPI Learning Record Store. Statuses follow the xAPI spec's error codes (Communication 3.2). */
export const LrsErrors = defineErrors('LRS', {
  INVALID_STATEMENT: { status: 400, message: 'invalid statement' },
  BAD_REQUEST: { status: 400, message: 'invalid xAPI request' },
  VERSION_REQUIRED: { status: 400, message: 'the X-Experience-API-Version header is missing or names an unsupported version (1.0.x or 2.0.x)' },
  UNAUTHORIZED: { status: 401, message: 'LRS credentials are missing, unknown or revoked (use HTTP Basic auth with an LRS key)' },
  SCOPE: { status: 403, message: 'this LRS key does not have the scope this request needs' },
  NOT_FOUND: { status: 404, message: 'not found' },
  STATEMENT_CONFLICT: { status: 409, message: 'a different statement with this id is already stored' },
  DOCUMENT_CONFLICT: { status: 409, message: 'the document exists: send If-Match or If-None-Match to say whether to overwrite it' },
  PRECONDITION_FAILED: { status: 412, message: 'the document does not match the If-Match / If-None-Match condition' },
  KEY_NOT_FOUND: { status: 404, message: 'LRS key not found' },
});
