import { z } from 'zod';

const skillGrant = z.object({ skillLevelId: z.number().int().positive(), credits: z.number().min(0).default(0) });

export const NewTrainingSchema = z.object({
  loId: z.string().trim().min(1).max(200).describe('the learning object id, unique in the account (e.g. course:123)'),
  type: z.enum(['course', 'learning_path', 'certification']),
  name: z.string().trim().min(1).max(300),
  description: z.string().max(20000).optional(),
  author: z.string().max(200).optional(),
  durationMinutes: z.number().int().min(0).optional(),
  tags: z.array(z.string().min(1)).optional(),
  catalogs: z.array(z.string().min(1)).optional(),
  price: z.number().min(0).nullable().optional(),
  currency: z.string().length(3).nullable().optional(),
  state: z.enum(['draft', 'published', 'retired']).optional(),
  external: z.object({ connector: z.string().min(1), id: z.string().min(1) }).optional().describe('where the training comes from'),
  items: z.array(z.number().int().positive()).optional().describe('learning path / certification: course ids, in order'),
  skills: z.array(skillGrant).optional(),
});
export type NewTraining = z.input<typeof NewTrainingSchema>;

export const TrainingPatchSchema = NewTrainingSchema.omit({ loId: true, type: true }).partial();
export type TrainingPatch = z.input<typeof TrainingPatchSchema>;

export const TrainingListQuerySchema = z.object({
  type: z.enum(['course', 'learning_path', 'certification']).optional(),
  search: z.string().optional().describe('part of the name or LO id'),
  state: z.enum(['draft', 'published', 'retired']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type TrainingListQuery = Partial<z.infer<typeof TrainingListQuerySchema>>;

export const TrainingSummarySchema = z.object({
  id: z.number(), loId: z.string(), type: z.string(), name: z.string(), author: z.string(), durationMinutes: z.number(),
  tags: z.array(z.string()), catalogs: z.array(z.string()), price: z.number().nullable(), currency: z.string().nullable(), state: z.string(),
  externalConnector: z.string().nullable(), externalId: z.string().nullable(), createdAt: z.date(), updatedAt: z.date(),
});

export const SessionSchema = z.object({
  name: z.string().trim().min(1).max(200),
  startsAt: z.coerce.date(),
  endsAt: z.coerce.date(),
  provider: z.enum(['zoom', 'teams', 'adobe_connect']).nullable().optional().describe('virtual classroom provider; null for a classroom'),
  meeting: z.record(z.string(), z.unknown()).optional().describe('meeting details: url, meeting id, room, ...'),
});
export type NewSession = z.infer<typeof SessionSchema>;

export const NewInstanceSchema = z.object({
  name: z.string().trim().min(1).max(200),
  seatLimit: z.number().int().min(1).nullable().optional(),
  waitlistLimit: z.number().int().min(0).nullable().optional(),
  sessions: z.array(SessionSchema).optional(),
});
export type NewInstance = z.infer<typeof NewInstanceSchema>;

export const InstancePatchSchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  seatLimit: z.number().int().min(1).nullable().optional(),
  waitlistLimit: z.number().int().min(0).nullable().optional(),
  state: z.enum(['active', 'retired']).optional(),
});

export const NewModuleSchema = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['self_paced', 'virtual_classroom', 'classroom']),
  contentType: z.enum(['scorm', 'aicc', 'xapi', 'video', 'document', 'link']).optional().describe('self-paced content type (AICC included)'),
  launchUrl: z.string().url().optional(),
  durationMinutes: z.number().int().min(0).optional(),
});
export type NewModule = z.input<typeof NewModuleSchema>;

const instanceView = z.object({
  id: z.number(), name: z.string(), isDefault: z.boolean(), seatLimit: z.number().nullable(), waitlistLimit: z.number().nullable(), state: z.string(),
  seatsTaken: z.number(), waitlisted: z.number(),
  sessions: z.array(z.object({ id: z.number(), name: z.string(), startsAt: z.date(), endsAt: z.date(), provider: z.string().nullable(), meeting: z.record(z.string(), z.unknown()) })),
});

export const TrainingDetailSchema = TrainingSummarySchema.extend({
  description: z.string(),
  items: z.array(z.object({ id: z.number(), loId: z.string(), name: z.string(), position: z.number() })),
  skills: z.array(z.object({ skillLevelId: z.number(), skill: z.string(), level: z.number(), levelName: z.string(), credits: z.number() })),
  instances: z.array(instanceView),
  modules: z.array(z.object({ id: z.number(), position: z.number(), name: z.string(), kind: z.string(), contentType: z.string().nullable(), launchUrl: z.string().nullable(), durationMinutes: z.number() })),
});
