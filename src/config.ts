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
  };
}
