import { defineConnector } from '../../kit/define-connector.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { openBox } from './client.ts';
import { boxSettings, type BoxSettings } from './settings.ts';

/**
 * The spec's "Box connector": the same folder layout as the hosted FTP (import/user/internal, import/xapi,
 * export) inside a configured Box folder, through the official Box SDK with the client credentials grant.
 */
export default defineConnector<BoxSettings>({
  id: 'box',
  displayName: 'Box',
  description: 'A Box folder as the file drop: CSV files in import/user/internal, exports written to export/.',
  category: 'file-drop',
  settings: boxSettings,
  actions: [],
  async testConnection(s) {
    try {
      const name = await openBox(s).describeRoot();
      return { ok: true, message: `connected to Box; folder ${s.rootFolderId} is "${name}"` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  async onConnect(s) {
    const box = openBox(s);
    for (const f of Object.values(FOLDERS)) await box.ensureDir(f);
  },
  async openFiles(s) {
    return openBox(s);
  },
});
