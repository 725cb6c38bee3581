import { z } from 'zod';

export const EnrollSchema = z.object({
  user: z.union([z.number().int().positive(), z.string().min(1)]).describe('the learner: user id or email'),
  trainingId: z.number().int().positive().optional().describe('enroll in the training\'s default instance'),
  instanceId: z.number().int().positive().optional().describe('enroll in this instance'),
}).refine((b) => b.trainingId !== undefined || b.instanceId !== undefined, { message: 'give trainingId or instanceId', path: ['instanceId'] });

export const EnrollmentPatchSchema = z.object({
  status: z.enum(['not_started', 'in_progress', 'completed']).optional().describe('unenroll with DELETE'),
  progress: z.number().int().min(0).max(100).optional(),
  score: z.number().min(0).max(100).nullable().optional(),
  timeSpentSeconds: z.number().int().min(0).optional(),
});
export type EnrollmentPatch = z.infer<typeof EnrollmentPatchSchema>;

export const EnrollmentListQuerySchema = z.object({
  userId: z.coerce.number().int().positive().optional(),
  trainingId: z.coerce.number().int().positive().optional(),
  status: z.enum(['not_started', 'in_progress', 'completed', 'unenrolled']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type EnrollmentListQuery = Partial<z.infer<typeof EnrollmentListQuerySchema>>;

export const EnrollmentViewSchema = z.object({
  id: z.number(), userId: z.number(), email: z.string(), trainingId: z.number(), loId: z.string(), trainingName: z.string(), trainingType: z.string(),
  instanceId: z.number(), instanceName: z.string(), status: z.string(), waitlisted: z.boolean(), progress: z.number(), score: z.number().nullable(),
  enrolledAt: z.date(), startedAt: z.date().nullable(), completedAt: z.date().nullable(), unenrolledAt: z.date().nullable(), timeSpentSeconds: z.number(),
  viaEnrollmentId: z.number().nullable(), updatedAt: z.date(),
});
