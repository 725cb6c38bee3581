import { passwordResetPage, RESET_PAGE_HEADERS } from '../../password-reset-page.ts';
import { defineRoutes } from '../../types.ts';

// The page the one-time reset link opens (/ftp/reset-password?token=...): the person responsible for the hosted
// SFTP drop sets the password there.
const PAGE = passwordResetPage({
  title: 'Set your SFTP password',
  intro: "This sets the password of your organisation's Learning Manager FTP (SFTP) login. The link works once.",
  endpoint: '/api/v1/ftp/reset-password',
  onSuccess: "msg.textContent = 'Password set. Log in with SFTP as \"' + body.username + '\".';",
});

export default defineRoutes((app) => {
  app.get('/ftp/reset-password', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => reply.headers(RESET_PAGE_HEADERS).send(PAGE));
});
