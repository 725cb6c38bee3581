import { defineRoutes } from '../../types.ts';

// The page a password reset link opens (/reset-password?token=...): the user sets their sign-in password there.
// Self-contained (no web app build needed); it calls POST /api/v1/auth/password-reset.
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Set your password</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}
.err{color:#b00020}.ok{color:#0a6b2d}</style></head>
<body><h1>Set your password</h1>
<p>This sets the password you sign in with. The link works once.</p>
<form id="f"><label for="p1">New password (at least 12 characters)</label><input id="p1" type="password" minlength="12" required autocomplete="new-password">
<label for="p2">Repeat it</label><input id="p2" type="password" minlength="12" required autocomplete="new-password">
<button type="submit">Set password</button></form><p id="msg" role="status"></p>
<script>
const token = new URLSearchParams(location.search).get('token') || '';
const msg = document.getElementById('msg');
document.getElementById('f').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const p1 = document.getElementById('p1').value, p2 = document.getElementById('p2').value;
  if (p1 !== p2) { msg.className = 'err'; msg.textContent = 'The two passwords differ.'; return; }
  const r = await fetch('/api/v1/auth/password-reset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: p1 }) });
  const body = await r.json().catch(() => ({}));
  if (r.ok) { msg.className = 'ok'; msg.innerHTML = ''; msg.append('Password set. ', Object.assign(document.createElement('a'), { href: '/sign-in', textContent: 'Sign in as ' + body.email })); ev.target.remove(); }
  else { msg.className = 'err'; msg.textContent = (body.error && body.error.message) || 'The password could not be set.'; }
});
</script></body></html>`;

export default defineRoutes((app) => {
  app.get('/reset-password', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    reply.header('Cache-Control', 'no-store').header('Referrer-Policy', 'no-referrer').type('text/html; charset=utf-8');
    return PAGE;
  });
});
