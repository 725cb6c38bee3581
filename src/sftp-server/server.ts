import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Database } from '../db/database.ts';
import { checkHostedPassword, findHostedKeyLogin, hostedRoot, type HostedLogin } from '../kit/file-sources/hosted-drop.ts';
import type { Logger } from '../shared/logger.ts';
import { loadOrCreateHostKey } from './host-key.ts';
import { serveSftp } from './sftp-session.ts';

const { Server, utils } = ssh2;

export interface SftpServerOptions {
  db: Database;
  dataDir: string;
  log: Logger;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Drop connections that have not logged in after this long (default 120 s, OpenSSH's LoginGraceTime). */
  loginGraceMs?: number;
}

export interface RunningSftpServer {
  port: number;
  host: string;
  stop(): Promise<void>;
}

/** Failed logins in a row before a connection is dropped (clients retry; this slows guessing). */
const MAX_AUTH_FAILURES = 6;

/**
 * The hosted SFTP service (the spec's "Learning Manager FTP"): each account's login (its slug) sees only its
 * own folder, with Home/import/user/internal, Home/import/xapi and Home/export. Password (set through the
 * one-time reset link) or public key login; only the sftp subsystem is served (no shell, exec, forwarding).
 *
 * @example const s = await startSftpServer({ db, dataDir, log, host: '127.0.0.1', port: 2222 }); ...; await s.stop();
 */
export async function startSftpServer(o: SftpServerOptions): Promise<RunningSftpServer> {
  const hostKey = await loadOrCreateHostKey(o.dataDir);
  const live = new Set<ssh2.Connection>();
  const server = new Server({ hostKeys: [hostKey], ident: 'lmc-sftp' }, (client, info) => {
    live.add(client);
    // Like OpenSSH's LoginGraceTime: a connection that has not logged in by then is dropped.
    const grace = setTimeout(() => client.end(), o.loginGraceMs ?? 120_000);
    grace.unref();
    client.on('close', () => {
      clearTimeout(grace);
      live.delete(client);
    });
    let login: HostedLogin | undefined;
    let failures = 0;
    client.on('error', (e) => o.log.debug({ err: e.message, ip: info.ip }, 'sftp connection error'));
    client.on('authentication', (actx) => {
      const reject = () => {
        if (++failures >= MAX_AUTH_FAILURES) return client.end();
        actx.reject(['password', 'publickey']);
      };
      (async () => {
        if (actx.method === 'password') {
          login = await checkHostedPassword(o.db, actx.username, actx.password);
          return login ? actx.accept() : reject();
        }
        if (actx.method === 'publickey') {
          const found = await findHostedKeyLogin(o.db, actx.username, actx.key.algo, actx.key.data);
          if (!found) return reject();
          if (!actx.signature) return actx.accept(); // "this key would do": the client signs next
          const key = utils.parseKey(actx.key.data);
          if (key instanceof Error || Array.isArray(key) || key.verify(actx.blob!, actx.signature, actx.hashAlgo) !== true) return reject();
          login = found;
          return actx.accept();
        }
        actx.reject(['password', 'publickey']);
      })().catch((e: unknown) => {
        o.log.warn({ err: (e as Error).message }, 'sftp authentication failed with an error');
        actx.reject();
      });
    });
    client.on('ready', () => {
      clearTimeout(grace);
      const who = login!;
      o.log.info({ username: who.username, accountId: who.accountId, ip: info.ip }, 'sftp login');
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), hostedRoot(o.dataDir, who.accountId), who.username, o.log));
        // shell, exec, pty, subsystems other than sftp: no listener, so ssh2 refuses them.
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (e: Error) => o.log.error({ err: e.message }, 'sftp server error'));
  const addr = server.address() as AddressInfo;
  return {
    port: addr.port,
    host: o.host,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Close live sessions too, or close() waits for them.
        for (const c of live) c.end();
      }),
  };
}
