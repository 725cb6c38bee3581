import fsp from 'node:fs/promises';
import { z } from 'zod';
import { defineConnector } from '../../kit/define-connector.ts';
import { FOLDERS } from '../../kit/file-sources/file-source.ts';
import { hostedHome, openHostedDrop } from '../../kit/file-sources/hosted-drop.ts';

const settings = z.object({
  email: z.email().meta({ title: 'Responsible person’s email', description: 'The person responsible for the Learning Manager FTP login: the password reset links are theirs' }),
});
export type FtpSettings = z.infer<typeof settings>;

/**
 * The spec's "Learning Manager FTP connector": the product's own hosted SFTP service (src/sftp-server).
 * Connecting creates the account's SFTP login for the responsible person's email (one per account), with
 * Home/import/user/internal, Home/import/xapi and Home/export. The password is set through a one-time reset
 * link (POST /api/v1/ftp/account/reset-link, `lmc ftp reset-link`); public keys may be added.
 */
export default defineConnector<FtpSettings>({
  id: 'ftp',
  displayName: 'Learning Manager FTP',
  description: 'The hosted SFTP drop of this account: external systems put CSV files in Home/import/user/internal and read exports from Home/export.',
  category: 'file-drop',
  // The spec: one FTP account per account; its login, responsible person and folders are the account's.
  onePerAccount: true,
  sftp: 'hosted',
  settings,
  actions: [],
  async testConnection(_s, env) {
    try {
      const a = await env.drops.hostedAccount();
      for (const f of Object.values(FOLDERS)) await fsp.stat(`${hostedHome(env.dataDir, env.accountId)}/${f}`);
      const port = env.drops.sftpPort;
      const message = `hosted SFTP login "${a.username}" on port ${port}; folders present`;
      // Reached, but nobody can log in yet: the screens say so rather than "works".
      if (!a.hasPassword && !a.publicKeys.length) return { ok: true, message, pending: 'the SFTP login has no password or SSH key yet: create a password reset link for the responsible person, or add a public key' };
      return { ok: true, message };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  },
  async onConnect(s, env) {
    await env.drops.ensureHostedAccount(s.email);
  },
  async openFiles(_s, env) {
    return openHostedDrop(env.dataDir, env.accountId);
  },
});
