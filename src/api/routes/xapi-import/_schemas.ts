import { z } from 'zod';
import { ConfigurationFields, FilterSchema, MappingSchema } from '../../../pipelines/import-xapi/import-options.ts';

export const access = { roles: ['integration_admin' as const] };
export const ConnParams = z.object({ id: z.coerce.number().int().positive().describe('the connection') });
export const ConfigParams = ConnParams.extend({ configId: z.string().uuid().describe('the configuration') });

/** Create: name and source file name are enough (actor.mbox, verb.id, object.id are added to the mappings). */
export const ConfigCreate = z.object({
  name: ConfigurationFields.name,
  sourceFileName: ConfigurationFields.sourceFileName,
  dateFormat: ConfigurationFields.dateFormat,
  timeZone: ConfigurationFields.timeZone,
  filters: z.array(FilterSchema).max(50).optional(),
  mappings: z.array(MappingSchema).max(200).optional(),
});

/** Update: the fields given replace the saved ones. */
export const ConfigUpdate = ConfigCreate.partial();

export const ConfigView = z.object({
  id: z.string(),
  name: z.string(),
  sourceFileName: z.string(),
  dateFormat: z.string().optional(),
  timeZone: z.string().optional(),
  filters: z.array(FilterSchema),
  mappings: z.array(MappingSchema),
  ready: z.boolean().describe('every mapping has a column'),
  problems: z.array(z.string()),
});
