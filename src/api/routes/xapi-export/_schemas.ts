import { z } from 'zod';
import { isoDateInput } from '../../../shared/dates.ts';
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
  from: isoDateInput().optional().describe('stored on or after (ISO 8601; without an offset, UTC)'),
  to: isoDateInput().optional().describe('stored before (exclusive); default: now'),
});
