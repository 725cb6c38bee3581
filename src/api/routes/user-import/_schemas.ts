import { z } from 'zod';
import { UserImportOptionsSchema } from '../../../platform/user-import/import-options.ts';

export const ConnParams = z.object({ id: z.coerce.number().int().positive().describe('the connection') });
export const OptionsOut = z.object({ options: UserImportOptionsSchema });
export const access = { roles: ['integration_admin' as const] };
