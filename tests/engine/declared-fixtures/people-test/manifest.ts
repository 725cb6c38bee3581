import { z } from 'zod';
import { defineAction, defineConnector } from '../../../../src/kit/define-connector.ts';

// A connector for tests/engine/action-declarations.test.ts only (loaded through LMC_EXTRA_CONNECTOR_DIRS):
// its user import has an id no shell knows, and declares what the shells need instead.
const settings = z.object({ note: z.string().optional() });

const syncPeople = defineAction<z.infer<typeof settings>, Record<string, never>>({
  id: 'sync-people', displayName: 'Sync people', kind: 'import', description: 'counts one person',
  options: z.object({}), scheduleUnits: ['days'], windowed: false, supportsDryRun: true,
  screens: { opensFirst: true },
  userImport: true,
  async run(rc) {
    rc.count('read');
  },
});

const countNothing = defineAction<z.infer<typeof settings>, Record<string, never>>({
  id: 'count-nothing', displayName: 'Count nothing', kind: 'export', description: 'does nothing',
  options: z.object({}), scheduleUnits: ['days'], windowed: false, supportsDryRun: false,
  async run() {},
});

export default defineConnector({
  id: 'people-test', displayName: 'People (test)', description: 'a user import under an id of its own', category: 'hr',
  settings, actions: [countNothing, syncPeople],
  async testConnection() {
    return { ok: true, message: 'ok' };
  },
});
