import { z } from 'zod';
import { signIn } from '../../../platform/api-tokens.ts';
import { throttledPasswordCheck } from '../../sign-in-guard.ts';
import { defineRoutes } from '../../types.ts';

const SignIn = z.object({
  email: z.string().email(),
  password: z.string().min(1),
  accountId: z.number().int().optional().describe('Pick one account when the email belongs to several'),
});

export default defineRoutes((app) => {
  app.post('/api/v1/auth/sign-in', {
    config: { public: true },
    schema: {
      tags: ['auth'],
      summary: 'Sign in with email and password; returns a session token (12 hours) and the accounts this login opens. Throttled per email and per client address: 429 with Retry-After after too many failures',
      security: [],
      body: SignIn,
      response: {
        200: z.object({
          token: z.string(),
          expiresAt: z.date().nullable(),
          accountId: z.number(),
          accounts: z.array(z.object({ id: z.number(), name: z.string(), slug: z.string() })),
        }),
      },
    },
  }, async (req) => throttledPasswordCheck(app, req, req.body.email, () => signIn(app.ctx.db, req.body.email, req.body.password, req.body.accountId)));
});
