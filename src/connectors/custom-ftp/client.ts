import type { ConnectorEnv } from '../../kit/define-connector.ts';
import { parseSftpHost, SftpSource } from '../../kit/file-sources/sftp.ts';
import type { CustomFtpSettings } from './settings.ts';

/**
 * Connects to the customer's SFTP server with the connection's settings; the server's host key is pinned
 * on first connect and a changed one refused (LMC_ERR_FILEDROP_HOST_KEY_CHANGED) until an admin accepts it.
 * Loopback, private and link-local servers are refused unless the operator allows them.
 */
export async function connectCustomFtp(s: CustomFtpSettings, env: ConnectorEnv): Promise<SftpSource> {
  const { host, port } = parseSftpHost(s.host, s.port);
  return SftpSource.connect({
    host,
    port,
    username: s.username,
    ...(s.authType === 'certificate' ? { privateKey: s.privateKey } : { password: s.password }),
    basePath: s.basePath,
    log: env.log,
    // The operator decides whether private and loopback addresses may be reached (LMC_OUTBOUND_ALLOW_PRIVATE).
    allowPrivate: env.drops.outboundAllowPrivate,
    // Settings being checked before save pin the key seen only once they are saved.
    hostKeys: env.drops.hostKeys({ host, port }),
  });
}
