import { z } from 'zod';
import { defineAction } from '../../../kit/define-connector.ts';
import { FOLDERS } from '../../../kit/file-sources/file-source.ts';

const options = z.object({
  folders: z.array(z.string()).default([FOLDERS.importUsers, FOLDERS.importXapi, FOLDERS.export]).describe('Folders of the drop to inventory'),
});

/**
 * "Inventory": records every file of the drop's folders (size, modification date) in the run log and
 * counts them; a file that cannot be opened for reading is rejected into the error report.
 */
export const listFiles = defineAction<unknown, z.infer<typeof options>>({
  id: 'list-files',
  displayName: 'Inventory',
  kind: 'import',
  description: 'Lists every file of the drop in the run log, with its size and date; unreadable files go to the error report.',
  options,
  scheduleUnits: ['days', 'hours'],
  windowed: false,
  supportsDryRun: false,
  async run(rc) {
    const files = await rc.files();
    let done = 0;
    for (const folder of rc.options.folders) {
      if (rc.signal.aborted) return;
      const entries = (await files.list(folder)).filter((e) => !e.isDirectory);
      rc.log('info', `${folder}: ${entries.length} file(s)`);
      for (const e of entries) {
        rc.count('read');
        try {
          const s = await files.read(e.path);
          s.destroy();
          rc.log('info', `${e.path}`, { size: e.size, modifiedAt: e.modifiedAt.toISOString() });
          rc.count('unchanged');
        } catch (err) {
          await rc.reject({ source: e.path, reason: `cannot be read: ${(err as Error).message}` });
        }
        rc.progress(++done, undefined, folder);
      }
    }
  },
});
