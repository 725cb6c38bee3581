import type { ActionDefinition } from '../kit/define-connector.ts';
import { exportLearnerTranscripts } from './export-reports/actions/export-learner-transcripts.ts';
import { exportUserSkills } from './export-reports/actions/export-user-skills.ts';
import { importUsersAction } from './import-users/import-users-action.ts';
import { exportXapiAction } from './export-xapi/export-xapi-action.ts';
import { importXapiAction } from './import-xapi/import-xapi-action.ts';

/**
 * The actions every file-drop connector offers (local directory, hosted FTP, Custom FTP, Box): each works on
 * the connection's FileSource (rc.files()), so a connector lists them instead of writing its own.
 * Each pipeline adds its action here (one line each).
 */
export const fileDropActions: ActionDefinition[] = [
  exportUserSkills,
  exportLearnerTranscripts,
  importUsersAction,
  exportXapiAction,
  importXapiAction,
];
