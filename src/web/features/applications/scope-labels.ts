/** What each OAuth scope allows, in an admin's words (the API's /api/v1/oauth-scopes says the same). */
export const SCOPE_LABEL: Record<string, string> = {
  'learner:read': "Read a learner's catalog, enrollments, progress and announcements",
  'learner:write': 'Enroll a learner',
  'admin:read': "Read any learner's data in the account (admins only)",
  'admin:write': 'Enroll any learner of the account (admins only)',
};

export const STATUS_LABEL: Record<string, string> = { pending: 'Waiting for approval', approved: 'Approved', revoked: 'Revoked' };
