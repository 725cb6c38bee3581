import { z } from 'zod';
import { signIn } from '../../../platform/api-tokens.ts';
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
      summary: 'Sign in with email and password; returns a session token (12 hours) and the accounts this login opens',
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
  }, async (req) => signIn(app.ctx.db, req.body.email, req.body.password, req.body.accountId));
});
