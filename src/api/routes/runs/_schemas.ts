import { z } from 'zod';

export const RunStatusEnum = z.enum(['queued', 'running', 'completed', 'completed_with_errors', 'needs_approval', 'failed', 'cancelled']);

export const RunOut = z.object({
  id: z.number(),
  connectionId: z.number(),
  connectorId: z.string(),
  actionId: z.string(),
  type: z.enum(['import', 'export']),
  trigger: z.enum(['on_demand', 'schedule', 'rerun']),
  startedBy: z.number().nullable(),
  slotAt: z.date().nullable(),
  window: z.object({ since: z.date().nullable(), until: z.date().nullable() }),
  status: RunStatusEnum,
  counts: z.object({ read: z.number(), created: z.number(), updated: z.number(), unchanged: z.number(), skipped: z.number(), rejected: z.number(), suspended: z.number().describe('users suspended (absent from the source)'), deleted: z.number().describe('users deleted (absent from the source)') }),
  progress: z.object({ done: z.number(), total: z.number().nullable(), phase: z.string().nullable() }),
  dryRun: z.boolean(),
  approved: z.boolean(),
  approval: z.object({ reason: z.string(), summary: z.record(z.string(), z.unknown()) }).nullable(),
  disableAccess: z.boolean(),
  cancelRequested: z.boolean(),
  error: z.string().nullable().describe('why the run failed, for people'),
  errorCode: z.string().nullable().describe('the stable code of the failure (LMC_ERR_..., docs/errors.md)'),
  note: z.string().nullable(),
  rerunOf: z.number().nullable(),
  worker: z.object({ host: z.string(), pid: z.number().nullable() }).nullable().describe('the machine (host name) and process id of the worker that ran it; null before it starts'),
  queuedAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  durationMs: z.number().nullable(),
  incremental: z.object({ before: z.unknown(), after: z.unknown() }).nullable().describe('incremental actions: the state the run started from and the one it staged (kept only if it succeeded)'),
});

export const RunDetailOut = RunOut.extend({
  log: z.array(z.object({ seq: z.number(), at: z.date(), level: z.string(), message: z.string(), data: z.record(z.string(), z.unknown()).nullable() })),
  files: z.array(z.object({ name: z.string(), contentType: z.string(), size: z.number(), createdAt: z.date() })),
});

export const RunIdParams = z.object({ id: z.coerce.number().int().positive() });
