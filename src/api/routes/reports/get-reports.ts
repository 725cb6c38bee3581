import { z } from 'zod';
import { ALL_REPORTS } from '../../../pipelines/export-reports/registry.ts';
import { defineRoutes } from '../../types.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/reports', {
    config: { roles: ['admin', 'integration_admin'] },
    schema: {
      tags: ['reports'],
      summary: 'The reports that can be run (columns and formats: docs/reports.md)',
      response: {
        200: z.array(z.object({
          id: z.string(), title: z.string(), schemaVersion: z.number(), description: z.string(), rangeOn: z.string(),
          statusFilter: z.boolean().describe('takes `status` (the learner transcript\'s completion status)'),
          combines: z.boolean().describe('a unified report: takes `include`, the reports it combines'),
        })),
      },
    },
  }, async () => ALL_REPORTS.map(({ id, title, schemaVersion, description, rangeOn }) => ({ id, title, schemaVersion, description, rangeOn, statusFilter: id === 'learner-transcript', combines: id === 'unified' })));
});
