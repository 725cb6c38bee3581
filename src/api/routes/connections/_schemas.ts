import { z } from 'zod';

export const ConnectionOut = z.object({
  id: z.number(),
  connectorId: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  settings: z.record(z.string(), z.unknown()).describe('Settings without secrets'),
  secrets: z.record(z.string(), z.boolean()).describe('For each secret field: whether it is set (secrets are never returned)'),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const IdParams = z.object({ id: z.coerce.number().int().positive() });
export const ActionParams = z.object({ id: z.coerce.number().int().positive(), actionId: z.string() });

export const ScheduleBody = z.object({
  enabled: z.boolean().default(true),
  startLocal: z.string().describe('Local start date and time, YYYY-MM-DDTHH:mm'),
  timeZone: z.string().describe('IANA time zone, e.g. Europe/Paris'),
  every: z.number().int().min(1),
  unit: z.enum(['days', 'hours']),
});
export const ScheduleOut = ScheduleBody.extend({ nextDueAt: z.date().nullable(), lastSlotAt: z.date().nullable() });
