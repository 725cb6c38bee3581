import { passwordResetPage, RESET_PAGE_HEADERS } from '../../password-reset-page.ts';
import { defineRoutes } from '../../types.ts';

// The page a password reset link opens (/reset-password?token=...): the user sets their sign-in password there.
const PAGE = passwordResetPage({
  title: 'Set your password',
  intro: 'This sets the password you sign in with. The link works once.',
  endpoint: '/api/v1/auth/password-reset',
  onSuccess: "msg.innerHTML = ''; msg.append('Password set. ', Object.assign(document.createElement('a'), { href: '/sign-in', textContent: 'Sign in as ' + body.email }));",
});

export default defineRoutes((app) => {
  app.get('/reset-password', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.headers(RESET_PAGE_HEADERS).send(PAGE));
});
