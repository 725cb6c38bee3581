import net, { type AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Database } from '../db/database.ts';
import { checkHostedPassword, findHostedKeyLogin, hostedRoot, type HostedLogin } from '../kit/file-sources/hosted-drop.ts';
import type { Logger } from '../shared/logger.ts';
import { loadOrCreateHostKey } from './host-key.ts';
import { sftpLoginLimits, type SftpLoginLimits } from './login-limits.ts';
import { ConnectionGate, LoginThrottle } from './login-throttle.ts';
import { serveSftp } from './sftp-session.ts';

const { Server, utils } = ssh2;

export interface SftpServerOptions {
  db: Database;
  dataDir: string;
  log: Logger;
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** Login limits (default: sftpLoginLimits(), from the environment). */
  limits?: Partial<SftpLoginLimits>;
  /** Shorthand for limits.graceMs. */
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
  const limits: SftpLoginLimits = { ...sftpLoginLimits(), ...o.limits, ...(o.loginGraceMs === undefined ? {} : { graceMs: o.loginGraceMs }) };
  const throttle = new LoginThrottle(limits);
  const gate = new ConnectionGate(limits, o.log);
  const server = new Server({ hostKeys: [hostKey], ident: 'lmc-sftp' }, (client, info) => {
    live.add(client);
    const ip = info.ip;
    let closed = false;
    client.on('close', () => {
      closed = true;
      live.delete(client);
    });
    client.on('error', (e) => o.log.debug({ err: e.message, ip }, 'sftp connection error'));
    let login: HostedLogin | undefined;
    let failures = 0;
    client.on('authentication', (actx) => {
      const username = actx.username;
      const method = actx.method;
      // A refusal is answered late (the lock's wait, at least a short delay): guessing is slow even in one connection.
      const refuse = (delayMs: number) =>
        setTimeout(() => {
          if (closed) return;
          if (++failures >= MAX_AUTH_FAILURES) return client.end();
          actx.reject(['password', 'publickey']);
        }, delayMs).unref();
      if (method !== 'password' && method !== 'publickey') return actx.reject(['password', 'publickey']); // "none" first, then a real method
      const locked = throttle.lockedFor(username, ip);
      if (locked > 0) {
        o.log.warn({ username, ip, method, lockedForMs: locked }, 'sftp login refused: too many failed logins for this login or address');
        return refuse(throttle.refusalDelay(locked));
      }
      const failed = () => {
        const f = throttle.fail(username, ip);
        o.log.warn({ username, ip, method, loginFailures: f.userFailures, addressFailures: f.addressFailures }, 'sftp login failed');
        refuse(f.delayMs);
      };
      (async () => {
        if (method === 'password') {
          login = await checkHostedPassword(o.db, username, actx.password);
          if (!login) return failed();
          throttle.succeed(username);
          return actx.accept();
        }
        const found = await findHostedKeyLogin(o.db, username, actx.key.algo, actx.key.data);
        // An unknown key offered without a signature is a client trying its keys in turn, not a guess.
        if (!found) return actx.signature ? failed() : actx.reject(['password', 'publickey']);
        if (!actx.signature) return actx.accept(); // "this key would do": the client signs next
        const key = utils.parseKey(actx.key.data);
        if (key instanceof Error || Array.isArray(key) || key.verify(actx.blob!, actx.signature, actx.hashAlgo) !== true) return failed();
        login = found;
        throttle.succeed(username);
        return actx.accept();
      })().catch((e: unknown) => {
        o.log.warn({ err: (e as Error).message, username, ip }, 'sftp authentication failed with an error');
        if (!closed) actx.reject();
      });
    });
    client.on('ready', () => {
      gate.loggedIn(ip, info.port);
      const who = login!;
      o.log.info({ username: who.username, accountId: who.accountId, ip: info.ip }, 'sftp login');
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), hostedRoot(o.dataDir, who.accountId), who.username, o.log));
        // shell, exec, pty, subsystems other than sftp: no listener, so ssh2 refuses them.
      });
    });
  });
  // Sockets pass the gate (per-address limit, grace time) before the SSH server sees them.
  const tcp = net.createServer((socket) => {
    if (gate.admit(socket)) server.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(o.port, o.host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  tcp.on('error', (e: Error) => o.log.error({ err: e.message }, 'sftp server error'));
  const addr = tcp.address() as AddressInfo;
  return {
    port: addr.port,
    host: o.host,
    stop: () =>
      new Promise<void>((resolve) => {
        tcp.close(() => resolve());
        gate.closeAll();
        // Close live sessions too, or close() waits for them.
        for (const c of live) c.end();
      }),
  };
}
