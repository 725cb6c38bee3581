import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
process.env.LMC_EXTRA_CONNECTOR_DIRS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
import { signIn, startWebStack, type WebStack } from '../web/web-harness.ts';
import { createConnection } from '../../src/engine/connections.ts';
import { CLIENT, startOAuthServer, type OAuthServer } from './oauth-server.ts';

// Connect in the browser for a connector whose admin signs in at the vendor: the button opens the vendor's
// page (tests/kit/oauth-server.ts allows at once), the vendor sends the browser back, the page says connected.
let stack: WebStack;
let vendor: OAuthServer;

beforeAll(async () => {
  [stack, vendor] = await Promise.all([
    // The server's URL is the redirect URI registered at the vendor.
    startWebStack({ worker: false, accountName: 'Acme Connect', beforeAdmin: (ctx, url) => void (ctx.config.publicUrl = url) }),
    startOAuthServer(),
  ]);
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await vendor?.close();
});

describe('Connect at the vendor, in the browser', () => {
  it('opens the vendor sign-in page and comes back connected', async () => {
    const { ctx, admin, page, server } = stack;
    const c = await createConnection(ctx, { accountId: admin.account.id, userId: admin.user.id }, {
      connectorId: 'oauth-test', name: 'CRM', settings: { baseUrl: vendor.base, auth: { clientId: CLIENT.id, clientSecret: CLIENT.secret } },
    });
    await signIn(page, server.url, admin.email, admin.password);
    await page.getByRole('link', { name: /Connectors/ }).first().waitFor();
    await page.goto(`${server.url}/connections/${c.id}/configure`);
    await page.getByRole('heading', { name: 'Access to OAuth test vendor' }).waitFor();
    await page.getByText('Not connected yet.').waitFor();
    await page.getByRole('button', { name: 'Connect to OAuth test vendor' }).click();
    await page.waitForURL(`${server.url}/connections/${c.id}/configure?authorized=1`);
    await page.getByText(/^Connected: OAuth test vendor allowed this connection/).waitFor();
    expect(page.url()).not.toContain('code=');
    const tokens = await ctx.db.selectFrom('connection_tokens').select(['sealed', 'needs_reauth_reason']).where('connection_id', '=', c.id).executeTakeFirstOrThrow();
    expect(tokens.sealed).not.toBeNull();
    expect(stack.jsErrors).toEqual([]);
  }, 90_000);
});
