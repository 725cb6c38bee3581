import { defineErrors } from '../../shared/errors.ts';

/** Errors of the file drops: hosted SFTP logins, Custom FTP (SFTP client), Box. */
export const FileDropErrors = defineErrors('FILEDROP', {
  PLAIN_FTP_REFUSED: { status: 400, message: 'plain FTP is not supported: the connector works only with SFTP servers (SSH File Transfer Protocol, usually port 22)' },
  HOST_KEY_CHANGED: { status: 409, message: "the SFTP server's host key changed since it was pinned; an integration admin must accept the new key before the connection is used again" },
  NO_PENDING_HOST_KEY: { status: 409, message: 'there is no changed host key waiting to be accepted for this connection' },
  CONNECT_FAILED: { status: 502, message: 'could not reach an SSH server', retryable: true },
  TARGET_NOT_ALLOWED: { status: 400, message: 'the operator of this hub does not allow connections to servers on private or local network addresses' },
  AUTH_FAILED: { status: 400, message: 'the SFTP server refused the credentials' },
  PATH_NOT_FOUND: { status: 404, message: 'no such file or folder in the file drop' },
  PATH_OUTSIDE_ROOT: { status: 400, message: "the path leads outside the file drop's folder" },
  LOCAL_ROOT_NOT_ALLOWED: { status: 400, message: 'this folder cannot be used as a local directory drop' },
  LOCAL_ROOT_UNUSABLE: { status: 400, message: 'the folder cannot be used as a file drop' },
  FS_TIMEOUT: { status: 504, message: 'the file system did not answer in time', retryable: true },
  HOSTED_ACCOUNT_NOT_FOUND: { status: 404, message: 'this account has no hosted FTP login yet: connect the FTP connector first' },
  RESET_TOKEN_INVALID: { status: 400, message: 'the password reset link is invalid, used or expired: ask an integration admin for a new one' },
  WEAK_PASSWORD: { status: 400, message: 'the password must have at least 12 characters' },
  INVALID_PUBLIC_KEY: { status: 400, message: 'not an SSH public key in OpenSSH format (e.g. "ssh-ed25519 AAAA... comment")' },
  INVALID_PRIVATE_KEY: { status: 400, message: 'the private key could not be read (OpenSSH or PEM format, without passphrase)' },
  BOX_API: { status: 502, message: 'the Box API answered with an error', retryable: true },
  BOX_AUTH_FAILED: { status: 400, message: 'Box refused the client credentials (check client id, client secret and the enterprise or user id)' },
});
