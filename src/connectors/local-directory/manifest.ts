import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineConnector } from '../../kit/define-connector.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { LocalDirectorySource } from '../../kit/file-sources/local-directory.ts';
import { fileDropActions } from '../../pipelines/file-drop-actions.ts';
import { listFiles } from './actions/list-files.ts';

const settings = z.object({
  root: z.string().min(1).refine((p) => path.isAbsolute(p), 'must be an absolute path on the server').describe('Folder on the server holding import/user/internal, import/xapi and export'),
});
export type LocalDirectorySettings = z.infer<typeof settings>;

/**
 * A file drop in a folder of the server's own disk, laid out like the hosted FTP (import/user/internal,
 * import/xapi, export). For development, benchmarks, and servers that receive files by other means.
 */
export default defineConnector<LocalDirectorySettings>({
  id: 'local-directory',
  displayName: 'Local directory',
  description: 'A folder on the server laid out like the Learning Manager FTP: import/user/internal, import/xapi, export.',
  category: 'file-drop',
  settings,
  actions: [listFiles, ...fileDropActions],
  async testConnection(s) {
    try {
      const st = await fsp.stat(s.root);
      if (!st.isDirectory()) return { ok: false, message: `${s.root} is not a directory` };
      // Probe by doing: fs.access(W_OK) says yes to root whatever the mode.
      const probe = path.join(s.root, `.lmc-probe-${process.pid}-${Date.now()}`);
      await fsp.writeFile(probe, 'probe');
      await fsp.readFile(probe);
      await fsp.rm(probe);
      await fsp.readdir(s.root);
      return { ok: true, message: `${s.root} is readable and writable` };
    } catch (e) {
      return { ok: false, message: `${s.root}: ${(e as NodeJS.ErrnoException).code ?? ''} ${(e as Error).message}`.trim() };
    }
  },
  async onConnect(s) {
    const src = new LocalDirectorySource(s.root);
    for (const dir of Object.values(FOLDERS)) await src.ensureDir(dir);
  },
  async openFiles(s) {
    return new LocalDirectorySource(s.root);
  },
});
