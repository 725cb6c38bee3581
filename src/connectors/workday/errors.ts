import { defineErrors } from '../../shared/errors.ts';

/** Errors of the Workday connector: Workday's SOAP faults named for an admin, and the skills export lock. */
export const WorkdayErrors = defineErrors('WORKDAY', {
  AUTHENTICATION: { status: 502, message: 'Workday refused the integration system user name or password (the user name is ISU_name@tenant)' },
  VALIDATION_FAULT: { status: 502, message: 'Workday refused the request (Validation_Fault)' },
  PROCESSING_FAULT: { status: 502, message: 'Workday could not process the request (Processing_Fault)' },
  BAD_RESPONSE: { status: 502, message: "Workday's answer is not the response of the operation called (Get_Workers, Put_Skill or Manage_Skills)" },
  SKILL_CATEGORY_UNKNOWN: { status: 400, message: "Workday has no skill item category of the name set on this connection (Skill item category): create it in Workday or change the connection's setting" },
  EXPORT_BUSY: { status: 409, message: 'Skills from multiple accounts cannot be exported simultaneously with the same Workday account; try again when the other export has finished', retryable: true },
  NO_WORKER_ID: { status: 400, message: 'the user was not imported from this Workday connection, so its Workday worker is unknown' },
});
