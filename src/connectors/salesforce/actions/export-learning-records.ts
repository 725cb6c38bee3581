/**
 * "Export Learning Records": the spec's "Export learning records" — the Learner Transcript, the User Report and
 * the Skill Report of the run's window, each into a custom object of its own (up to three per connection,
 * names chosen per connection because admins rename them), each record linked to the learner's User or
 * Contact, upserted on an external id field so that a re-run updates and never duplicates. Up to
 * `bulkThreshold` records of a kind go through sObject Collections; more through Bulk API 2.0 jobs. Unlike the
 * spec's product (which says "completed" even when every record failed), each record that Salesforce refuses
 * is in the run's error report with Salesforce's error code and message, and the run is "completed with errors".
 */
import { z } from 'zod';
import { defineAction } from '../../../kit/define-connector.ts';
import type { ReportRowsOptions } from '../../../kit/run-context.ts';
import { exportKind, type ExportTarget } from '../export-records.ts';
import { LearnerLinks } from '../learner-links.ts';
import { SKILL_REPORT, TRANSCRIPT, USER_REPORT, type RecordKind } from '../record-kinds.ts';
import type { SalesforceSettings } from '../settings.ts';

/** The transcript's status filters (kit ReportRowsOptions.status; docs/reports.md). */
const TRANSCRIPT_STATUSES = ['all', 'completed', 'in_progress', 'not_started', 'unenrolled'] as const satisfies ReadonlyArray<NonNullable<ReportRowsOptions['status']>>;

const apiName = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'an API name (letters, digits, _), e.g. Learning_Transcript__c');
const fieldMap = z.record(z.string(), apiName.nullable()).default({});

/** The User Report or the Skill Report: not exported, or into an object of its own. */
const reportObject = (kind: RecordKind) =>
  z
    .discriminatedUnion('export', [
      z.object({ export: z.literal('no') }).meta({ title: 'Not exported' }),
      z
        .object({
          export: z.literal('yes'),
          object: apiName.default(kind.defaultObject).meta({ title: 'Custom object', description: `API name of the custom object that receives the ${kind.label} (as renamed in your org)` }),
          externalIdField: apiName.default('External_Id__c').meta({ title: 'External ID field', description: 'its field marked "External ID" (unique): the key of each record' }),
          linkField: apiName.nullable().default(null).meta({ title: 'Lookup field', description: 'the lookup to the User or Contact (default User__c or Contact__c)' }),
          fields: fieldMap.meta({ title: 'Renamed fields', description: `${kind.label} column -> field of the object, for fields renamed in your org (null: not exported)` }),
        })
        .meta({ title: 'Exported into a custom object' }),
    ])
    .default({ export: 'no' })
    .meta({ title: kind.label });

export const exportLearningRecordsOptions = z.object({
  transcript: z.boolean().default(true).meta({ title: 'Export the Learner Transcript' }),
  object: apiName.default(TRANSCRIPT.defaultObject).meta({ title: 'Learner Transcript object', description: 'API name of the custom object that receives the transcript (as renamed in your org)' }),
  externalIdField: apiName.default('External_Id__c').meta({ title: 'External ID field', description: 'its field marked "External ID" (unique): the key of each record' }),
  linkWith: z.enum(['User', 'Contact']).default('User').meta({ title: 'Link events with', description: "each record is linked with the learner's Salesforce User or Contact (learners without a Contact get one)", enumTitles: { User: 'User', Contact: 'Contact' } }),
  linkField: apiName.nullable().default(null).meta({ title: 'Lookup field', description: 'the lookup field to the User or Contact (default User__c or Contact__c)' }),
  status: z.enum(TRANSCRIPT_STATUSES).default('all').meta({ title: 'Enrollments', description: 'which enrollments of the transcript', enumTitles: { all: 'All', completed: 'Completed', in_progress: 'In progress', not_started: 'Not started', unenrolled: 'Unenrolled' } }),
  fields: fieldMap.meta({ title: 'Renamed fields', description: 'transcript column -> field of the object, for fields renamed in your org (null: not exported)' }),
  userReport: reportObject(USER_REPORT),
  skillReport: reportObject(SKILL_REPORT),
  bulkThreshold: z.number().int().min(1).max(1_000_000).default(2000).meta({ title: 'Bulk API above', description: 'above this many records of a kind, a run uses Bulk API 2.0 jobs' }),
  bulkJobRecords: z.number().int().min(1).max(150_000).default(50_000).meta({ title: 'Records per Bulk API job', description: 'records per Bulk API 2.0 job (an upload may hold 150 MB)' }),
}).superRefine((o, ctx) => {
  // Each kind needs an object of its own: in a shared one, a kind's records would sit among another's.
  const seen = new Map<string, string>();
  const named: Array<[string, string, string[]]> = [];
  if (o.transcript) named.push(['the Learner Transcript', o.object, ['object']]);
  if (o.userReport.export === 'yes') named.push(['the User Report', o.userReport.object, ['userReport', 'object']]);
  if (o.skillReport.export === 'yes') named.push(['the Skill Report', o.skillReport.object, ['skillReport', 'object']]);
  for (const [what, object, path] of named) {
    const before = seen.get(object.toLowerCase());
    if (before) ctx.addIssue({ code: 'custom', path, message: `${what} needs a custom object of its own: ${object} already receives ${before}` });
    seen.set(object.toLowerCase(), what);
  }
});
export type ExportLearningRecordsOptions = z.infer<typeof exportLearningRecordsOptions>;

export const exportLearningRecords = defineAction<SalesforceSettings, ExportLearningRecordsOptions>({
  id: 'export-learning-records',
  displayName: 'Export Learning Records',
  kind: 'export',
  description: "Learner Transcript (with the learning-path columns), User Report and Skill Report of the period upserted into custom objects of the org, each record linked with the learner's User or Contact; records Salesforce refuses are listed in the error report.",
  options: exportLearningRecordsOptions as never,
  scheduleUnits: ['days', 'hours'],
  windowed: true,
  supportsDryRun: false,
  async run(rc) {
    const o = exportLearningRecordsOptions.parse(rc.options ?? {});
    const defaultLink = o.linkField ?? `${o.linkWith}__c`;
    const work: Array<{ kind: RecordKind; target: ExportTarget }> = [];
    if (o.transcript) work.push({ kind: TRANSCRIPT, target: { object: o.object, externalIdField: o.externalIdField, linkField: defaultLink, fields: o.fields } });
    for (const [kind, r] of [[USER_REPORT, o.userReport], [SKILL_REPORT, o.skillReport]] as const) {
      if (r.export === 'yes') work.push({ kind, target: { object: r.object, externalIdField: r.externalIdField, linkField: r.linkField ?? defaultLink, fields: r.fields, option: kind.id } });
    }
    if (!work.length) {
      rc.log('warn', 'nothing to export: the Learner Transcript, the User Report and the Skill Report are all switched off');
      return;
    }
    const links = new LearnerLinks(rc.http(), o.linkWith);
    let read = 0;
    rc.progress(0, undefined, 'exporting');
    for (const { kind, target } of work) {
      const t = await exportKind(rc, kind, target, links, { bulkThreshold: o.bulkThreshold, bulkJobRecords: o.bulkJobRecords, ...(kind === TRANSCRIPT ? { status: o.status } : {}) });
      read += t.read;
      rc.log('info', `exported ${t.read} ${kind.label} rows to ${target.object}: ${t.created} created, ${t.updated} updated`, { kind: kind.id, object: target.object, rows: t.read, created: t.created, updated: t.updated, bulk: t.bulk });
    }
    rc.count('read', read);
    if (links.created) rc.log('info', `created ${links.created} Contact(s) for learners Salesforce did not have`, { contacts: links.created });
    rc.progress(read, read, 'done');
  },
});
