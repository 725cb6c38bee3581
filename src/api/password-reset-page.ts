/**
 * The page a one-time password link opens (a user's sign-in password, the hosted SFTP login's password):
 * self-contained HTML, so it needs no web app build, posting { token, password } to `endpoint`.
 * `onSuccess` is the body of a script function given the message element and the answer's JSON.
 */
export function passwordResetPage(o: { title: string; intro: string; endpoint: string; onSuccess: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
<style>body{font:16px system-ui,sans-serif;max-width:28rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem;font:inherit}
.err{color:#b00020}.ok{color:#0a6b2d}</style></head>
<body><h1>${o.title}</h1>
<p>${o.intro}</p>
<form id="f"><label for="p1">New password (at least 12 characters)</label><input id="p1" type="password" minlength="12" required autocomplete="new-password">
<label for="p2">Repeat it</label><input id="p2" type="password" minlength="12" required autocomplete="new-password">
<button type="submit">Set password</button></form><p id="msg" role="status"></p>
<script>
const token = new URLSearchParams(location.search).get('token') || '';
const msg = document.getElementById('msg');
const done = (msg, body) => { ${o.onSuccess} };
document.getElementById('f').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const p1 = document.getElementById('p1').value, p2 = document.getElementById('p2').value;
  if (p1 !== p2) { msg.className = 'err'; msg.textContent = 'The two passwords differ.'; return; }
  const r = await fetch('${o.endpoint}', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, password: p1 }) });
  const body = await r.json().catch(() => ({}));
  if (r.ok) { msg.className = 'ok'; done(msg, body); ev.target.remove(); }
  else { msg.className = 'err'; msg.textContent = (body.error && body.error.message) || 'The password could not be set.'; }
});
</script></body></html>`;
}

/** The headers of such a page: never cached, and the token in its address never sent on as a referrer. */
export const RESET_PAGE_HEADERS = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Type': 'text/html; charset=utf-8' };
