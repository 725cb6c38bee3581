import { z } from 'zod';
import { XapiExportColumnSchema, XapiExportConfigInputSchema } from '../../../pipelines/export-xapi/export-config.ts';

export const ConfigParams = z.object({ id: z.coerce.number().int().positive() });

export const ConfigInput = XapiExportConfigInputSchema;

export const ConfigView = z.object({
  id: z.number(),
  name: z.string(),
  columns: z.array(XapiExportColumnSchema),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export const RangeQuery = z.object({
  from: z.coerce.date().optional().describe('stored on or after (ISO 8601; a date alone is midnight UTC)'),
  to: z.coerce.date().optional().describe('stored before (exclusive); default: now'),
});
