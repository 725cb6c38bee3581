import net from 'node:net';
import path from 'node:path';

/**
 * Process-wide settings, read once from the environment.
 * Every setting has a default so that `npm start` works on a fresh clone.
 */
export interface Config {
  /** Where the embedded PostgreSQL cluster, the secret key file and file drops live. */
  dataDir: string;
  /** An external PostgreSQL server; when unset the embedded one is started. */
  databaseUrl: string | undefined;
  /** Port of the embedded PostgreSQL server. */
  embeddedPgPort: number;
  host: string;
  port: number;
  /** Port of the hosted SFTP service (the spec's "Learning Manager FTP"). */
  sftpPort: number;
  /** Base64 or hex 32-byte key for secrets at rest; a key file under dataDir is created when unset. */
  secretKey: string | undefined;
  logLevel: string;
  /** The address people and vendors reach this server at (OAuth redirect URIs, links in notifications). */
  publicUrl: string;
  /**
   * Fastify's trustProxy: behind a reverse proxy, take the client address from X-Forwarded-For (true, a hop
   * count, or the proxy's addresses), so that sign-in throttling counts per client and not per proxy.
   */
  trustProxy: boolean | number | string;
  /** Sign-in throttling (src/platform/sign-in-throttle.ts). */
  signIn: SignInLimits;
  /**
   * Folders under which an integration admin may point a local-directory connection (LMC_LOCAL_DROP_ROOTS,
   * separated by ':'; "{account}" stands for the account's id). Always allowed: <dataDir>/drops/<account>.
   * Never allowed, whatever is listed: the data directory, another account's folder, /proc, /sys, /dev.
   */
  localDropRoots: string[];
  /**
   * Whether connections may reach loopback, private, link-local and other non-public addresses
   * (LMC_OUTBOUND_ALLOW_PRIVATE): false (the default) refuses them, true allows them all, and a
   * comma-separated list of addresses or CIDR ranges allows only those (e.g. "10.20.0.0/16,192.168.1.5").
   */
  outboundAllowPrivate: boolean | string[];
  /** Prometheus metrics (docs/operations.md, "Health, readiness, metrics"). */
  metrics: MetricsConfig;
}

export interface MetricsConfig {
  /**
   * LMC_METRICS_TOKEN: GET /metrics answers only with "Authorization: Bearer <token>". Without it, the API's
   * port does not serve /metrics at all (only the metrics port does, if set).
   */
  token: string | undefined;
  /** LMC_METRICS_PORT: a listener of its own for /metrics and /health (serve and worker alike). */
  port: number | undefined;
  /** LMC_METRICS_HOST: the address that listener binds (default 127.0.0.1: reachable from this machine only). */
  host: string;
}

export interface SignInLimits {
  /** Failed sign-ins for one email (any account) before it is locked. */
  maxFailuresPerUser: number;
  /** Failed sign-ins from one client address before it is locked. */
  maxFailuresPerAddress: number;
  /** The first lock; each further failure doubles it, up to maxLockoutSeconds. */
  lockoutSeconds: number;
  maxLockoutSeconds: number;
  /** Failures older than this (counted from the last one) are forgotten. */
  failureWindowSeconds: number;
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1, not "${raw}"`);
  return n;
}

function trustProxyOf(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

function parseOutboundAllowPrivate(v: string | undefined): boolean | string[] {
  const s = (v ?? '').trim();
  if (s === '' || /^(false|no|0|off)$/i.test(s)) return false;
  if (/^(true|yes|1|on)$/i.test(s)) return true;
  const entries = s.split(',').map((x) => x.trim()).filter(Boolean);
  // A typo must stop the start, not surface later as a refused connection.
  for (const e of entries) {
    const [addr, bits, extra] = e.split('/');
    const max = net.isIPv4(addr) ? 32 : net.isIPv6(addr) ? 128 : 0;
    const prefix = bits === undefined ? max : Number(bits);
    if (!max || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && bits.trim() === '')) {
      throw new Error(`LMC_OUTBOUND_ALLOW_PRIVATE: "${e}" is not true, false, an IP address or a CIDR range (e.g. 10.20.0.0/16)`);
    }
  }
  return entries;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.LMC_DATA_DIR ?? 'data');
  return {
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    embeddedPgPort: Number(env.LMC_PG_PORT ?? 54329),
    host: env.LMC_HOST ?? '127.0.0.1',
    port: Number(env.PORT ?? env.LMC_PORT ?? 8080),
    sftpPort: Number(env.LMC_SFTP_PORT ?? 2222),
    secretKey: env.LMC_SECRET_KEY || undefined,
    logLevel: env.LMC_LOG_LEVEL ?? 'info',
    publicUrl: (env.LMC_PUBLIC_URL ?? `http://${env.LMC_HOST && env.LMC_HOST !== '0.0.0.0' ? env.LMC_HOST : '127.0.0.1'}:${Number(env.PORT ?? env.LMC_PORT ?? 8080)}`).replace(/\/+$/, ''),
    trustProxy: trustProxyOf(env.LMC_TRUST_PROXY),
    signIn: {
      maxFailuresPerUser: positiveInt(env, 'LMC_SIGN_IN_MAX_FAILURES_PER_USER', 5),
      maxFailuresPerAddress: positiveInt(env, 'LMC_SIGN_IN_MAX_FAILURES_PER_ADDRESS', 20),
      lockoutSeconds: positiveInt(env, 'LMC_SIGN_IN_LOCKOUT_SECONDS', 30),
      maxLockoutSeconds: positiveInt(env, 'LMC_SIGN_IN_MAX_LOCKOUT_SECONDS', 900),
      failureWindowSeconds: positiveInt(env, 'LMC_SIGN_IN_FAILURE_WINDOW_SECONDS', 3600),
    },
    localDropRoots: (env.LMC_LOCAL_DROP_ROOTS ?? '').split(path.delimiter).map((p) => p.trim()).filter(Boolean),
    outboundAllowPrivate: parseOutboundAllowPrivate(env.LMC_OUTBOUND_ALLOW_PRIVATE),
    metrics: {
      token: env.LMC_METRICS_TOKEN || undefined,
      port: env.LMC_METRICS_PORT ? positiveInt(env, 'LMC_METRICS_PORT', 0) : undefined,
      host: env.LMC_METRICS_HOST || '127.0.0.1',
    },
  };
}
