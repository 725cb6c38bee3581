import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
import { enroll, updateEnrollment } from '../../../src/platform/enrollments/enrollments.ts';
import { createTraining } from '../../../src/platform/trainings/trainings.ts';
import { startSalesforceStack, type SalesforceStack } from './salesforce-stack.ts';

// "Export Learning Records" through the real engine into the simulated org's custom object: upserts by external
// id (a re-run updates, never duplicates), records linked to the learner's User or Contact (missing Contacts
// created), learning-path columns, per-record results from sObject Collections and from Bulk API 2.0 jobs.
let s: SalesforceStack;
let conn: number;
let learners: string[];
let refused: string;
const OBJ = 'Learning_Transcript__c';

beforeAll(async () => {
  s = await startSalesforceStack({ users: 5, contacts: 3 });
  conn = await s.connect('Org');
  await s.admin.put(`/api/v1/connections/${conn}/user-import/mapping`, { mapping: { email: 'Email', name: 'Name', manager: 'Manager.Email', userType: null, profile: {}, fields: { Department: 'Department' } } });
  const imported = await s.run(conn, 'import-users');
  expect(imported.status, JSON.stringify(imported.log)).toBe('completed');
  learners = s.sim.store.all('User').map((u) => String(u.Email));
  const db = s.ctx.db;
  const c1 = await createTraining(db, s.accountId, { loId: 'course:1', type: 'course', name: 'Safety basics' });
  const c2 = await createTraining(db, s.accountId, { loId: 'course:2', type: 'course', name: 'Data privacy' });
  const lp = await createTraining(db, s.accountId, { loId: 'learningProgram:9', type: 'learning_path', name: 'Onboarding path', items: [c2.id] });
  for (const email of learners.slice(0, 4)) {
    const e = await enroll(db, s.accountId, { user: email, trainingId: c1.id });
    await updateEnrollment(db, s.accountId, e.id, { status: 'completed', progress: 100, score: 88 });
  }
  await enroll(db, s.accountId, { user: learners[0], trainingId: lp.id });
  // A learner of the platform with no Salesforce user.
  await enroll(db, s.accountId, { user: 'admin@acme.test', trainingId: c1.id });
  // The org refuses one learner's records (a validation rule of the object).
  refused = learners[1];
  s.sim.store.addRule(OBJ, (r) => (r.Learner_Email__c === refused ? { message: 'Learner is on a legal hold', field: 'Learner_Email__c' } : undefined));
});
afterAll(async () => s?.stop());

const records = () => s.sim.store.all(OBJ);

describe('Export Learning Records to Salesforce', () => {
  it('upserts the transcript into the custom object linked to Users; refused records are in the error report with Salesforce\'s code', async () => {
    const run = await s.run(conn, 'export-learning-records');
    expect(run.status, JSON.stringify(run.log)).toBe('completed_with_errors');
    // 4 course enrollments + the path and its course for learners[0] + admin's = 7 rows; admin's and learners[1]'s refused.
    expect(run.counts).toMatchObject({ read: 7, created: 5, rejected: 2 });
    const errors = await s.errors(run.id);
    expect(errors).toMatch(/Salesforce,,lmc-\d+-\d+-course:1-[\w-]+,Learner_Email__c,"?FIELD_CUSTOM_VALIDATION_EXCEPTION: Learner is on a legal hold/);
    expect(errors).toContain(refused);
    expect(errors).toMatch(/no active Salesforce User has the learner's e-mail \(learner admin@acme\.test/);
    const rows = records();
    expect(rows).toHaveLength(5);
    const user0 = s.sim.store.all('User').find((u) => u.Email === learners[0])!;
    const mine = rows.filter((r) => r.User__c === user0.Id);
    expect(mine.map((r) => r.Type__c).sort()).toEqual(['Course', 'Learning Path', 'Learning Path (Higher Level)']);
    expect(mine.find((r) => r.Type__c === 'Learning Path')).toMatchObject({ Embedded_Path__c: 'Onboarding path', Embedded_Path_ID__c: 'learningProgram:9', Embedded_Course_ID__c: 'course:2', Training_Name__c: 'Data privacy' });
    expect(mine.find((r) => r.Type__c === 'Course')).toMatchObject({ Status__c: 'completed', Progress__c: 100, Score__c: 88 });
    expect(s.sim.log.entries.some((e) => e.method === 'PATCH' && e.path.includes(`/composite/sobjects/${OBJ}/External_Id__c`))).toBe(true);
  });

  it('a re-run updates the same records, never duplicates them', async () => {
    const run = await s.run(conn, 'export-learning-records');
    expect(run.counts).toMatchObject({ read: 7, created: 0, updated: 5, rejected: 2 });
    expect(records()).toHaveLength(5);
  });

  it('above the threshold, writes through a Bulk API 2.0 job and reads its failed results per record', async () => {
    const put = await s.admin.put(`/api/v1/connections/${conn}/actions/export-learning-records/settings`, { options: { bulkThreshold: 2 } });
    expect(put.statusCode, put.body).toBe(200);
    s.sim.log.reset();
    const run = await s.run(conn, 'export-learning-records');
    expect(run.status).toBe('completed_with_errors');
    expect(run.counts).toMatchObject({ read: 7, updated: 5, rejected: 2 });
    expect(run.log.some((l: { message: string }) => /Bulk API job \w+: JobComplete/.test(l.message))).toBe(true);
    const paths = s.sim.log.entries.map((e) => `${e.method} ${e.path.replace(/\/jobs\/ingest\/\w+/, '/jobs/ingest/:id')}`);
    expect(paths).toEqual(expect.arrayContaining(['POST /services/data/v62.0/jobs/ingest', 'PUT /services/data/v62.0/jobs/ingest/:id/batches', 'PATCH /services/data/v62.0/jobs/ingest/:id', 'GET /services/data/v62.0/jobs/ingest/:id/failedResults/']));
    expect(await s.errors(run.id)).toMatch(/FIELD_CUSTOM_VALIDATION_EXCEPTION: Learner is on a legal hold/);
    expect(records()).toHaveLength(5);

    // Several jobs of one run side by side (chunks of 3 rows: 3 + 3, and admin's row alone, which has no
    // Salesforce user and is refused before any upload); their results are all counted.
    await s.admin.put(`/api/v1/connections/${conn}/actions/export-learning-records/settings`, { options: { bulkThreshold: 2, bulkJobRecords: 3 } });
    s.sim.log.reset();
    const jobs = await s.run(conn, 'export-learning-records');
    expect(jobs.counts).toMatchObject({ read: 7, updated: 5, rejected: 2 });
    expect(s.sim.log.entries.filter((e) => e.method === 'POST' && e.path.endsWith('/jobs/ingest'))).toHaveLength(2);
  });

  it('linked with Contacts: learners without a Contact get one first', async () => {
    const before = s.sim.store.all('Contact').length;
    const put = await s.admin.put(`/api/v1/connections/${conn}/actions/export-learning-records/settings`, { options: { linkWith: 'Contact' } });
    expect(put.statusCode, put.body).toBe(200);
    const run = await s.run(conn, 'export-learning-records');
    expect(run.status).toBe('completed_with_errors');
    // Every learner (admin@acme.test too) now has a Contact: admin's record is written; only the legal hold is refused.
    expect(run.counts).toMatchObject({ read: 7, created: 1, updated: 5, rejected: 1 });
    expect(run.log.some((l: { message: string }) => l.message === 'created 5 Contact(s) for learners Salesforce did not have')).toBe(true);
    expect(s.sim.store.all('Contact').length).toBe(before + 5);
    const admin = s.sim.store.all('Contact').find((c) => c.Email === 'admin@acme.test')!;
    expect(records().find((r) => r.Contact__c === admin.Id)).toBeTruthy();
  });

  it('names the object or field that the org lacks, before writing anything', async () => {
    await s.admin.put(`/api/v1/connections/${conn}/actions/export-learning-records/settings`, { options: { object: 'Course_Record__c' } });
    const run = await s.run(conn, 'export-learning-records');
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('LMC_ERR_SALESFORCE_NO_SUCH_OBJECT');
    await s.admin.put(`/api/v1/connections/${conn}/actions/export-learning-records/settings`, { options: { externalIdField: 'Name' } });
    const ext = await s.run(conn, 'export-learning-records');
    expect(ext.errorCode).toBe('LMC_ERR_SALESFORCE_NOT_AN_EXTERNAL_ID');
    const bad = await s.admin.put(`/api/v1/connections/${conn}/actions/export-learning-records/settings`, { options: { object: "X__c' OR 1" } });
    expect(bad.statusCode).toBe(400);
  });
});
