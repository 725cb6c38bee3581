import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineConnector, type ConnectorEnv } from '../../kit/define-connector.ts';
import { bounded, describeFsError } from '../../kit/file-sources/bounded-fs.ts';
import { FileDropErrors } from '../../kit/file-sources/file-drop-errors.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { LocalDirectorySource } from '../../kit/file-sources/local-directory.ts';
import { listFiles } from './actions/list-files.ts';

const settings = z.object({
  root: z
    .string()
    .min(1)
    .refine((p) => path.isAbsolute(p), 'must be an absolute path on the server')
    .meta({ title: 'Folder on the server', description: 'The folder holding import/user/internal, import/xapi and export (inside a folder the operator allows)' }),
});
export type LocalDirectorySettings = z.infer<typeof settings>;

/** The root checked against the operator's allowed folders, as a real path (local-drop-roots.ts). */
const openRoot = (s: LocalDirectorySettings, env: ConnectorEnv, create = false) => env.drops.localRoot(s.root, { create });

/**
 * A file drop in a folder of the server's own disk, laid out like the hosted FTP (import/user/internal,
 * import/xapi, export). For development, benchmarks, and servers that receive files by other means.
 * The folder must sit where the operator allows (LMC_LOCAL_DROP_ROOTS); that is checked again, on the
 * real path, every time the files are opened.
 */
export default defineConnector<LocalDirectorySettings>({
  id: 'local-directory',
  displayName: 'Local directory',
  description: 'A folder on the server laid out like the Learning Manager FTP: import/user/internal, import/xapi, export.',
  category: 'file-drop',
  settings,
  actions: [listFiles],
  async testConnection(s, env) {
    try {
      const root = await openRoot(s, env);
      // Probe by doing: fs.access(W_OK) says yes to root whatever the mode.
      const probe = path.join(root, `.lmc-probe-${process.pid}-${Date.now()}`);
      try {
        await bounded(fsp.writeFile(probe, 'probe'), `writing in ${s.root}`);
        await bounded(fsp.readFile(probe), `reading in ${s.root}`);
        await bounded(fsp.rm(probe), `removing from ${s.root}`);
        await bounded(fsp.readdir(root), `listing ${s.root}`);
      } catch (e) {
        if ((e as { code?: string }).code?.startsWith('LMC_ERR_')) throw e;
        return { ok: false, message: describeFsError(e, s.root) };
      }
      return { ok: true, message: `${s.root} is readable and writable` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  async onConnect(s, env) {
    const src = new LocalDirectorySource(await openRoot(s, env, true), { checkedRealRoot: true });
    try {
      for (const dir of Object.values(FOLDERS)) await src.ensureDir(dir);
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('LMC_ERR_')) throw e;
      throw FileDropErrors.LOCAL_ROOT_UNUSABLE.create({ detail: describeFsError(e, s.root), field: 'settings.root', cause: e });
    }
  },
  async openFiles(s, env) {
    return new LocalDirectorySource(await openRoot(s, env), { checkedRealRoot: true });
  },
});
