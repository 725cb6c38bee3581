import type { Socket } from 'node:net';
import type { Logger } from '../shared/logger.ts';
import type { SftpLoginLimits } from './login-limits.ts';

interface Record {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

/** Most login names and addresses remembered at once; the oldest are forgotten first (an attacker rotating names cannot grow memory). */
const MAX_RECORDS = 50_000;

/**
 * Failed-login bookkeeping of the SFTP service, per login name and per client address. Up to N failures
 * cost nothing but a short delay; each further one locks the name (or address) for backoffMs, doubled each
 * time up to backoffMaxMs. While locked, every attempt is refused without checking the password (so the
 * right one does not work either), and is not counted. A successful login clears its name's record; an
 * address's record only fades (a valid account must not reset an address that guesses others).
 *
 * @example const t = new LoginThrottle(limits); if (t.lockedFor(user, ip) > 0) refuse(); else if (!ok) t.fail(user, ip);
 */
export class LoginThrottle {
  private readonly users = new Map<string, Record>();
  private readonly addresses = new Map<string, Record>();

  constructor(private readonly limits: SftpLoginLimits, private readonly now: () => number = Date.now) {}

  /** Milliseconds until the name or the address may try again (0: now). */
  lockedFor(user: string, address: string): number {
    const t = this.now();
    const until = Math.max(this.get(this.users, user.toLowerCase(), t)?.lockedUntil ?? 0, this.get(this.addresses, address, t)?.lockedUntil ?? 0);
    return Math.max(0, until - t);
  }

  /** Records a failed attempt; returns how long to wait before answering it. */
  fail(user: string, address: string): { delayMs: number; userFailures: number; addressFailures: number } {
    const t = this.now();
    const u = this.bump(this.users, user.toLowerCase(), this.limits.userFreeFailures, t);
    const a = this.bump(this.addresses, address, this.limits.addressFreeFailures, t);
    return { delayMs: this.refusalDelay(Math.max(0, Math.max(u.lockedUntil, a.lockedUntil) - t)), userFailures: u.failures, addressFailures: a.failures };
  }

  /** How long to hold the answer to an attempt refused because of a lock. */
  refusalDelay(lockedForMs: number): number {
    return Math.min(this.limits.failureDelayMaxMs, Math.max(this.limits.failureDelayMs, lockedForMs));
  }

  succeed(user: string): void {
    this.users.delete(user.toLowerCase());
  }

  private get(map: Map<string, Record>, key: string, t: number): Record | undefined {
    const r = map.get(key);
    if (r && t - r.lastFailure > this.limits.forgetMs && t >= r.lockedUntil) {
      map.delete(key);
      return undefined;
    }
    return r;
  }

  private bump(map: Map<string, Record>, key: string, free: number, t: number): Record {
    const r = this.get(map, key, t) ?? { failures: 0, lockedUntil: 0, lastFailure: t };
    r.failures += 1;
    r.lastFailure = t;
    if (r.failures > free) {
      const lock = Math.min(this.limits.backoffMaxMs, this.limits.backoffMs * 2 ** Math.min(30, r.failures - free - 1));
      r.lockedUntil = Math.max(r.lockedUntil, t + lock);
    }
    map.delete(key); // re-insert: Map order is then "least recently failed first"
    map.set(key, r);
    if (map.size > MAX_RECORDS) map.delete(map.keys().next().value!);
    return r;
  }
}

/**
 * The door of the SFTP service, at the TCP level (before any SSH byte: a client that connects and says
 * nothing never reaches the SSH server's handlers): at most maxPendingPerAddress connections of one address
 * may be not yet logged in, and each is closed when it has not logged in within graceMs.
 */
export class ConnectionGate {
  private readonly pendingByAddress = new Map<string, number>();
  private readonly waiting = new Map<string, { socket: Socket; done: () => void }>();

  constructor(private readonly limits: SftpLoginLimits, private readonly log: Logger) {}

  /** Lets a new socket in (true) or closes it at once (false). */
  admit(socket: Socket): boolean {
    const ip = socket.remoteAddress ?? '?';
    const key = `${ip}:${socket.remotePort}`;
    const n = (this.pendingByAddress.get(ip) ?? 0) + 1;
    if (n > this.limits.maxPendingPerAddress) {
      this.log.warn({ ip, pending: n - 1 }, 'sftp connection refused: too many connections of this address are not logged in');
      socket.destroy();
      return false;
    }
    this.pendingByAddress.set(ip, n);
    let pending = true;
    const done = () => {
      if (!pending) return;
      pending = false;
      clearTimeout(grace);
      this.waiting.delete(key);
      const left = (this.pendingByAddress.get(ip) ?? 1) - 1;
      if (left <= 0) this.pendingByAddress.delete(ip);
      else this.pendingByAddress.set(ip, left);
    };
    const grace = setTimeout(() => {
      this.log.info({ ip }, 'sftp connection closed: no login within the grace time');
      socket.destroy();
    }, this.limits.graceMs);
    grace.unref();
    socket.once('close', done);
    this.waiting.set(key, { socket, done });
    return true;
  }

  /** The connection from ip:port logged in: it no longer counts as pending nor has a deadline. */
  loggedIn(ip: string, port: number): void {
    this.waiting.get(`${ip}:${port}`)?.done();
  }

  /** Closes the connections still waiting to log in (server shutdown). */
  closeAll(): void {
    for (const { socket } of this.waiting.values()) socket.destroy();
  }
}
