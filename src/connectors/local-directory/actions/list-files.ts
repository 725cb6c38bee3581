import { z } from 'zod';
import { defineAction } from '../../../kit/define-connector.ts';
import { FOLDERS } from '../../../kit/file-sources/file-source.ts';

const options = z.object({
  folders: z.array(z.string()).default([FOLDERS.importUsers, FOLDERS.importXapi, FOLDERS.export]).describe('Folders of the drop to inventory'),
});

/** How deep Inventory goes below each listed folder (exports sit one level down: export/user-skills/...). */
const MAX_DEPTH = 4;

/**
 * "Inventory": records every file of the drop's folders and their subfolders (size, modification date) in the
 * run log and counts them; a file that cannot be opened for reading is rejected into the error report. It
 * looked only at the folders themselves and missed the exports, which are written to export/<report>/.
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
    const queue = rc.options.folders.map((folder) => ({ folder, depth: 0 }));
    const seen = new Set<string>(); // folders given twice, or one inside another, are listed once
    while (queue.length > 0) {
      const { folder, depth } = queue.shift()!;
      if (rc.signal.aborted) return;
      const key = folder.replace(/^\/+|\/+$/g, '');
      if (seen.has(key)) continue;
      seen.add(key);
      const listed = await files.list(folder);
      const entries = listed.filter((e) => !e.isDirectory);
      const subfolders = listed.filter((e) => e.isDirectory);
      if (depth < MAX_DEPTH) queue.push(...subfolders.map((d) => ({ folder: d.path, depth: depth + 1 })));
      else if (subfolders.length) rc.log('warn', `${folder}: ${subfolders.length} subfolder(s) deeper than ${MAX_DEPTH} levels not listed`);
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
