import { z } from 'zod';
import { defineAction, defineConnector } from '../../../../src/kit/define-connector.ts';

// A connector for tests/engine/action-declarations.test.ts only: no action of it is a user import.
const settings = z.object({});

const countNothing = defineAction<z.infer<typeof settings>, Record<string, never>>({
  id: 'count-nothing', displayName: 'Count nothing', kind: 'export', description: 'does nothing',
  options: z.object({}), scheduleUnits: ['days'], windowed: false, supportsDryRun: false,
  async run() {},
});

export default defineConnector({
  id: 'no-users-test', displayName: 'No users (test)', description: 'imports no users', category: 'bi',
  settings, actions: [countNothing],
  async testConnection() {
    return { ok: true, message: 'ok' };
  },
});
