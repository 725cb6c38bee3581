import { z } from 'zod';

export const HostedAccountOut = z.object({
  username: z.string(),
  email: z.string(),
  hasPassword: z.boolean(),
  resetPending: z.boolean(),
  createdAt: z.date(),
  sftpPort: z.number().describe('Port of the hosted SFTP service'),
  hostKeyFingerprint: z.string().nullable().describe("The service's host key (what SFTP clients show on first connect); null before its first start"),
  folders: z.array(z.string()),
  publicKeys: z.array(z.object({ id: z.number(), algorithm: z.string(), fingerprint: z.string(), comment: z.string(), createdAt: z.date() })),
});

export const HostKeyOut = z.object({
  host: z.string(),
  port: z.number(),
  keyType: z.string(),
  fingerprint: z.string(),
  pinnedAt: z.date(),
  pendingKeyType: z.string().nullable(),
  pendingFingerprint: z.string().nullable().describe('A different key the server offered; refused until accepted'),
  pendingSeenAt: z.date().nullable(),
});

export const IdParams = z.object({ id: z.coerce.number().int().positive() });
