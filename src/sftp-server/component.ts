import type { Component } from '../server/components.ts';
import { startSftpServer } from './server.ts';

/** The hosted SFTP service as a part of `lmc serve` (port: LMC_SFTP_PORT, default 2222). */
export const sftpServerComponent: Component = {
  name: 'sftp',
  async start(ctx) {
    const s = await startSftpServer({ db: ctx.db, dataDir: ctx.config.dataDir, log: ctx.log, host: ctx.config.host, port: ctx.config.sftpPort });
    return { stop: s.stop, describe: `hosted SFTP (Learning Manager FTP) on sftp://${s.host}:${s.port}` };
  },
};
