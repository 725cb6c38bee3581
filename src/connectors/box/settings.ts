import { z } from 'zod';
import { secret } from '../../kit/define-connector.ts';

/** The client secret and tokens go to this URL: https, or plain http only to this machine (a simulator). */
const boxUrl = z.url().refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'must be https (plain http only to 127.0.0.1 or localhost)');

/**
 * Box connection settings: a Box Platform app using Client Credentials Grant
 * (https://developer.box.com/guides/authentication/client-credentials/), acting as the enterprise's service
 * account (enterpriseId) or as one user (userId), and the folder holding import/ and export/.
 */
export const boxSettings = z
  .object({
    clientId: z.string().min(1),
    clientSecret: secret(z.string().min(1)),
    enterpriseId: z.string().regex(/^\d+$/).optional(),
    userId: z.string().regex(/^\d+$/).optional(),
    rootFolderId: z.string().regex(/^\d+$/).default('0').describe("Box folder id holding import/ and export/ ('0' = All Files)"),
    apiBaseUrl: boxUrl.optional().describe('Box API base URL (default https://api.box.com); e.g. the Box simulator for demos'),
    uploadBaseUrl: boxUrl.optional().describe('Box upload base URL (default https://upload.box.com/api, or <apiBaseUrl>/api)'),
  })
  .superRefine((s, ctx) => {
    if (!s.enterpriseId === !s.userId) ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'give either the enterprise id or the user id' });
  });
export type BoxSettings = z.infer<typeof boxSettings>;
