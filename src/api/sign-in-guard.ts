import type { FastifyRequest } from 'fastify';
import { AuthErrors } from '../platform/errors.ts';
import { reserveAttempt, settleAttempt, throttleKeys } from '../platform/sign-in-throttle.ts';
import type { Api } from './types.ts';

/**
 * Runs a password check (sign-in, changing one's own password) under the sign-in throttle of the email and
 * the client's address (src/platform/sign-in-throttle.ts). Failures and refusals are logged with the email
 * and the address (never the password), for an admin or a fail2ban-style tool to follow.
 *
 * @example const r = await throttledPasswordCheck(app, req, email, () => signIn(db, email, password));
 */
export async function throttledPasswordCheck<T>(app: Api, req: FastifyRequest, email: string, check: () => Promise<T>): Promise<T> {
  const limits = app.ctx.config.signIn;
  const keys = throttleKeys(limits, email, req.ip);
  const who = { email: email.trim().toLowerCase(), address: req.ip, route: req.routeOptions.url };
  try {
    await reserveAttempt(app.ctx.db, limits, keys);
  } catch (e) {
    if (AuthErrors.THROTTLED.is(e)) app.ctx.log.warn({ ...who, retryAfterSeconds: e.data?.retryAfterSeconds }, 'sign-in refused: too many failures');
    throw e;
  }
  let ok = false;
  try {
    const r = await check();
    ok = true;
    return r;
  } catch (e) {
    if (AuthErrors.BAD_CREDENTIALS.is(e) || AuthErrors.CURRENT_PASSWORD_WRONG.is(e)) app.ctx.log.warn(who, 'sign-in failed: wrong email or password');
    throw e;
  } finally {
    await settleAttempt(app.ctx.db, limits, keys, ok);
  }
}
