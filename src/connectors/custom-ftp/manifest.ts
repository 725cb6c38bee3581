import { defineConnector } from '../../kit/define-connector.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { connectCustomFtp } from './client.ts';
import { customFtpSettings, type CustomFtpSettings } from './settings.ts';

/**
 * The spec's "Custom FTP": the customer's own SFTP server (SFTP only; ftp:// is refused), with basic or
 * certificate authentication. Connecting creates import/user/internal, import/xapi and export under the
 * base path.
 */
export default defineConnector<CustomFtpSettings>({
  id: 'custom-ftp',
  displayName: 'Custom FTP',
  description: "Your own SFTP server: import CSV files from import/user/internal and write exports to export/ (SFTP only).",
  category: 'file-drop',
  settings: customFtpSettings,
  sftp: 'remote',
  actions: [],
  async testConnection(s, env) {
    let src;
    try {
      src = await connectCustomFtp(s, env);
      const entries = await src.list('');
      const pin = await env.drops.pinnedHostKey();
      return { ok: true, message: `connected as ${s.username}; ${entries.length} entries in ${s.basePath}${pin ? `; host key ${pin.keyType} ${pin.fingerprint}` : ''}` };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    } finally {
      await src?.close();
    }
  },
  async onConnect(s, env) {
    const src = await connectCustomFtp(s, env);
    try {
      for (const f of Object.values(FOLDERS)) await src.ensureDir(f);
    } finally {
      await src.close();
    }
  },
  async openFiles(s, env) {
    return connectCustomFtp(s, env);
  },
});
