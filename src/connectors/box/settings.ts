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
    clientId: z.string().min(1).meta({ title: 'Client ID', description: 'The client ID of your Box Platform app (Developer Console › Configuration)' }),
    clientSecret: secret(z.string().min(1)).meta({ title: 'Client secret', description: 'The client secret of the same app' }),
    enterpriseId: z.string().regex(/^\d+$/).optional().meta({ title: 'Enterprise ID', description: 'To act as the app’s service account (give this or the user ID)' }),
    userId: z.string().regex(/^\d+$/).optional().meta({ title: 'User ID', description: 'To act as one Box user (give this or the enterprise ID)' }),
    rootFolderId: z.string().regex(/^\d+$/).default('0').meta({ title: 'Folder ID', description: "The Box folder holding import/ and export/ ('0' is All Files)" }),
    apiBaseUrl: boxUrl.optional().meta({ title: 'Box API address', description: 'Leave empty for https://api.box.com (set only for a test stand-in of Box)' }),
    uploadBaseUrl: boxUrl.optional().meta({ title: 'Box upload address', description: 'Leave empty for https://upload.box.com/api' }),
  })
  .superRefine((s, ctx) => {
    if (!s.enterpriseId === !s.userId) ctx.addIssue({ code: 'custom', path: ['enterpriseId'], message: 'give either the enterprise id or the user id' });
  });
export type BoxSettings = z.infer<typeof boxSettings>;
