import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestEngineEnv } from '../../engine/helpers.ts';
useTestEngineEnv();
import { createSkill } from '../../../src/platform/skills/skills.ts';
import { recordAchievement } from '../../../src/platform/skills/skill-achievements.ts';
import { skillReportObject, userReportObject } from '../../../simulators/salesforce/schema.ts';
import { apiClient, createAccountWithToken } from '../../helpers/api.ts';
import { startSalesforceStack, type SalesforceStack } from './salesforce-stack.ts';

// "Export Learning Records" of the User Report and the Skill Report into custom objects of their own (names
// chosen per connection: here a renamed skill object), through the real engine against the simulated org:
// linked to Users or Contacts, upserted by external id (a re-run never duplicates), per-record results with
// Salesforce's error codes in the error report, sObject Collections and Bulk API 2.0 jobs.
let s: SalesforceStack;
let conn: number;
let learners: string[];
const SKILLS = 'Partner_Skills__c';

beforeAll(async () => {
  s = await startSalesforceStack({ users: 4, contacts: 2, objects: [skillReportObject(SKILLS, 'Partner Skills'), userReportObject('Partner_Users__c', 'Partner Users')] });
  conn = await s.connect('Org');
  await s.admin.put(`/api/v1/connections/${conn}/user-import/mapping`, { mapping: { email: 'Email', name: 'Name', manager: 'Manager.Email', userType: null, profile: {}, fields: { Department: 'Department' } } });
  const imported = await s.run(conn, 'import-users');
  expect(imported.status, JSON.stringify(imported.log)).toBe('completed');
  learners = s.sim.store.all('User').map((u) => String(u.Email));
  const db = s.ctx.db;
  const forklift = await createSkill(db, s.accountId, { name: 'Forklift', levels: [{ name: 'Basic', maxCredits: 10 }, { name: 'Expert', maxCredits: 20 }] });
  const privacy = await createSkill(db, s.accountId, { name: 'Privacy', levels: [{ name: 'Aware', maxCredits: 5 }] });
  await recordAchievement(db, s.accountId, { user: learners[0], skillLevelId: forklift.levels[0].id, credits: 10 });
  await recordAchievement(db, s.accountId, { user: learners[0], skillLevelId: forklift.levels[1].id, credits: 20 });
  await recordAchievement(db, s.accountId, { user: learners[1], skillLevelId: privacy.levels[0].id, credits: 5 });
  // A learner of the platform with no Salesforce user.
  await recordAchievement(db, s.accountId, { user: 'admin@acme.test', skillLevelId: privacy.levels[0].id, credits: 3 });
  // The org refuses the expert level of learner 0 (a validation rule of the renamed object).
  s.sim.store.addRule(SKILLS, (r) => (r.Skill_Level__c === '2' ? { message: 'Expert levels need a certificate', field: 'Skill_Level__c' } : undefined));
});
afterAll(async () => s?.stop());

const platformUsers = async () => (await s.ctx.db.selectFrom('users').select(['id', 'email', 'name']).where('account_id', '=', s.accountId).execute());
const options = (o: Record<string, unknown>) => s.admin.put(`/api/v1/connections/${conn}/actions/export-learning-records/settings`, { options: o });

describe('User Report and Skill Report into custom objects', () => {
  it('writes both reports into their objects, linked with Users; refused records are listed with Salesforce\'s code', async () => {
    const put = await options({ transcript: false, userReport: { export: 'yes' }, skillReport: { export: 'yes', object: SKILLS } });
    expect(put.statusCode, put.body).toBe(200);
    const run = await s.run(conn, 'export-learning-records');
    expect(run.status, JSON.stringify(run.log)).toBe('completed_with_errors');
    const users = await platformUsers();
    // Every platform user (admin's has no Salesforce user) + 4 skill levels; admin's two rows and the expert level refused.
    expect(run.counts).toMatchObject({ read: users.length + 4, created: users.length - 1 + 2, rejected: 3 });
    const report = s.sim.store.all('Learning_User_Report__c');
    expect(report).toHaveLength(users.length - 1);
    const sfUser0 = s.sim.store.all('User').find((u) => u.Email === learners[0])!;
    const u0 = users.find((u) => u.email === learners[0])!;
    expect(report.find((r) => r.User__c === sfUser0.Id)).toMatchObject({ External_Id__c: `lmc-${s.accountId}-user-${u0.id}`, Learner_Email__c: learners[0], Learner_Name__c: u0.name, User_State__c: 'active', Name: u0.name });
    const skills = s.sim.store.all(SKILLS);
    expect(skills.map((r) => `${r.Learner_Email__c} ${r.Skill__c} ${r.Skill_Level__c} ${r.Level_Name__c} ${r.Credits__c}`).sort()).toEqual([`${learners[0]} Forklift 1 Basic 10`, `${learners[1]} Privacy 1 Aware 5`].sort());
    expect(skills.every((r) => typeof r.User__c === 'string' && String(r.User__c).startsWith('005'))).toBe(true);
    const errors = await s.errors(run.id);
    expect(errors).toMatch(new RegExp(`Salesforce,,lmc-${s.accountId}-skill-${u0.id}-[\\w-]+,Skill_Level__c,"?FIELD_CUSTOM_VALIDATION_EXCEPTION: Expert levels need a certificate \\(learner ${learners[0].replace('.', '\\.')}, skill ""?Forklift""? level 2\\)`));
    expect(errors).toMatch(/no active Salesforce User has the learner's e-mail \(learner admin@acme\.test, skill ""?Privacy/);
    expect(run.log.some((l: { message: string }) => l.message.startsWith(`exported ${users.length} User Report rows to Learning_User_Report__c`))).toBe(true);
    expect(s.sim.log.entries.some((e) => e.method === 'PATCH' && e.path.includes(`/composite/sobjects/${SKILLS}/External_Id__c`))).toBe(true);
    // The run's page lists the first refused records (GET /api/v1/runs/{id}/rejects), for its account only.
    const first = await s.admin.get(`/api/v1/runs/${run.id}/rejects?limit=2`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.data.total).toBe(3);
    expect(first.data.rejects).toHaveLength(2);
    const all = (await s.admin.get(`/api/v1/runs/${run.id}/rejects`)).data.rejects;
    expect(all.find((r: { reason: string }) => r.reason.startsWith('FIELD_CUSTOM_VALIDATION_EXCEPTION'))).toMatchObject({ source: 'Salesforce', line: null, recordId: expect.stringMatching(new RegExp(`^lmc-${s.accountId}-skill-${u0.id}-`)), field: 'Skill_Level__c' });
    const other = await createAccountWithToken(s.ctx, { email: 'admin@other.test' });
    expect((await apiClient(s.app, other.token).get(`/api/v1/runs/${run.id}/rejects`)).statusCode).toBe(404);
    expect((await s.admin.get(`/api/v1/runs/${run.id}/rejects?limit=501`)).statusCode).toBe(400);
  });

  it('a re-run updates the same records, never duplicates them; so does a run through Bulk API 2.0 jobs', async () => {
    const users = await platformUsers();
    const again = await s.run(conn, 'export-learning-records');
    expect(again.counts).toMatchObject({ read: users.length + 4, created: 0, updated: users.length - 1 + 2, rejected: 3 });
    await options({ transcript: false, userReport: { export: 'yes' }, skillReport: { export: 'yes', object: SKILLS }, bulkThreshold: 1 });
    s.sim.log.reset();
    const bulk = await s.run(conn, 'export-learning-records');
    expect(bulk.status).toBe('completed_with_errors');
    expect(bulk.counts).toMatchObject({ created: 0, updated: users.length - 1 + 2, rejected: 3 });
    expect(s.sim.log.entries.filter((e) => e.method === 'POST' && e.path.endsWith('/jobs/ingest'))).toHaveLength(2);
    expect(await s.errors(bulk.id)).toMatch(/FIELD_CUSTOM_VALIDATION_EXCEPTION: Expert levels need a certificate/);
    expect(s.sim.store.all('Learning_User_Report__c')).toHaveLength(users.length - 1);
    expect(s.sim.store.all(SKILLS)).toHaveLength(2);
  });

  it('another connection of the account writes into objects of its own, linked with Contacts (created for learners without one)', async () => {
    const other = await s.connect('Partner org');
    const put = await s.admin.put(`/api/v1/connections/${other}/actions/export-learning-records/settings`, { options: { transcript: false, linkWith: 'Contact', userReport: { export: 'yes', object: 'Partner_Users__c' } } });
    expect(put.statusCode, put.body).toBe(200);
    const run = await s.run(other, 'export-learning-records');
    expect(run.status, JSON.stringify(run.log)).toBe('completed');
    const users = await platformUsers();
    const rows = s.sim.store.all('Partner_Users__c');
    expect(rows).toHaveLength(users.length);
    const admin = s.sim.store.all('Contact').find((c) => c.Email === 'admin@acme.test')!;
    expect(rows.find((r) => r.Learner_Email__c === 'admin@acme.test')!.Contact__c).toBe(admin.Id);
    // The first connection's objects are untouched.
    expect(s.sim.store.all('Learning_User_Report__c')).toHaveLength(users.length - 1);
  });

  it('refuses one object for two kinds, and names a report object the org lacks', async () => {
    const same = await options({ transcript: true, userReport: { export: 'yes', object: 'Learning_Transcript__c' } });
    expect(same.statusCode).toBe(400);
    expect(same.body).toContain('the User Report needs a custom object of its own: Learning_Transcript__c already receives the Learner Transcript');
    await options({ transcript: false, skillReport: { export: 'yes', object: 'Skill_History__c' } });
    const run = await s.run(conn, 'export-learning-records');
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('LMC_ERR_SALESFORCE_NO_SUCH_OBJECT');
    expect(run.error).toContain('Skill_History__c');
  });
});
