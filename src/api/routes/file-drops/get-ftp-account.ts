import { FOLDERS } from '../../../kit/file-sources/file-source.ts';
import { getHostedAccount } from '../../../kit/file-sources/hosted-drop.ts';
import { hostKeyFingerprint } from '../../../sftp-server/host-key.ts';
import { defineRoutes, principalOf } from '../../types.ts';
import { HostedAccountOut } from './_schemas.ts';

export default defineRoutes((app) => {
  app.get('/api/v1/ftp/account', {
    config: { roles: ['integration_admin'] },
    schema: { tags: ['file-drops'], summary: "The account's hosted SFTP login (Learning Manager FTP): user name, responsible email, keys", response: { 200: HostedAccountOut } },
  }, async (req) => {
    const a = await getHostedAccount(app.ctx.db, principalOf(req).accountId);
    return { ...a, sftpPort: app.ctx.config.sftpPort, hostKeyFingerprint: await hostKeyFingerprint(app.ctx.config.dataDir), folders: Object.values(FOLDERS).map((f) => `Home/${f}`) };
  });
});
