#!/usr/bin/env node
// A small OAuth 2.0 client of lmc's learner API, with nothing but Node's fetch (Node 20+). It does what the
// Salesforce package does once configured with a client ID, client secret and refresh token (docs/oauth-apps.md):
// renew the access token with the refresh token, keep the NEW refresh token (lmc rotates them), then read the
// learner API.
//
//   LMC_URL=http://127.0.0.1:8080 CLIENT_ID=lmcapp_... CLIENT_SECRET=lmcsec_... REFRESH_TOKEN=lmcrt_... \
//     node docs/examples/oauth-client.mjs [learner@example.com]
//
// The refresh token is kept in ./.lmc-refresh-token after the first run (an app would keep it in its own secret
// store): the one given in REFRESH_TOKEN is spent by the first refresh.
import fs from 'node:fs';

const base = (process.env.LMC_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const clientId = required('CLIENT_ID');
const clientSecret = required('CLIENT_SECRET');
const store = '.lmc-refresh-token';
const learner = process.argv[2]; // with an admin:read token: act for this learner of the account

function required(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`set ${name}`);
    process.exit(2);
  }
  return v;
}

/** RFC 6749 §6 with client_secret_basic; the answer carries a new refresh token that replaces the old one. */
async function refresh(refreshToken) {
  const res = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ' + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64'),
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`token endpoint: ${body.error}: ${body.error_description}`);
  fs.writeFileSync(store, body.refresh_token, { mode: 0o600 });
  return body;
}

async function get(path, accessToken) {
  const url = new URL(base + path);
  if (learner) url.searchParams.set('learner', learner);
  const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${body.error?.code}: ${body.error?.message}`);
  return body;
}

const saved = fs.existsSync(store) ? fs.readFileSync(store, 'utf8').trim() : undefined;
const tokens = await refresh(saved ?? required('REFRESH_TOKEN'));
console.log(`access token valid ${tokens.expires_in} s, scope "${tokens.scope}"`);

const progress = await get('/api/v1/learner/progress', tokens.access_token);
console.log('progress:', progress);
const recommended = await get('/api/v1/learner/recommendations', tokens.access_token);
for (const r of recommended.items) console.log(`recommended: ${r.name} (${r.reason})`);
const news = await fetch(`${base}/api/v1/learner/announcements`, { headers: { authorization: `Bearer ${tokens.access_token}` } }).then((r) => r.json());
for (const a of news.items ?? []) console.log(`announcement: ${a.title}`);
