import { describe, expect, it } from 'vitest';
import { fullJitterMs, retryDelayMs, serverWaitMs } from '../../src/kit/http/retry-policy.ts';
import { redactUrl } from '../../src/kit/http/redact.ts';
import { valueAt } from '../../src/kit/paging/json-path.ts';
import { nextFromLinkHeader } from '../../src/kit/paging/link-header.ts';

describe('the kit retry policy (pure)', () => {
  it('full jitter stays in [0, min(max, base * 2^retry))', () => {
    expect(fullJitterMs(0, { baseMs: 100, maxMs: 1000 }, () => 0.999)).toBe(99);
    expect(fullJitterMs(3, { baseMs: 100, maxMs: 1000 }, () => 0.5)).toBe(400);
    expect(fullJitterMs(10, { baseMs: 100, maxMs: 1000 }, () => 0.999)).toBe(999);
    expect(fullJitterMs(2, { baseMs: 100, maxMs: 1000 }, () => 0)).toBe(0);
  });

  it('Retry-After: delta seconds, an HTTP-date (relative to now), capped at maxMs', () => {
    const now = Date.now();
    expect(serverWaitMs(new Headers({ 'retry-after': '3' }))).toBe(3000);
    expect(serverWaitMs(new Headers({ 'retry-after': new Date(now + 5000).toUTCString() }), { now: now - (now % 1000) })).toBe(5000);
    expect(serverWaitMs(new Headers({ 'retry-after': new Date(now - 5000).toUTCString() }))).toBe(0);
    expect(serverWaitMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryDelayMs(0, { 'Retry-After': '300' }, { baseMs: 10, maxMs: 120_000 })).toEqual({ ms: 120_000, fromServer: true });
  });

  it('reset headers only when asked: RateLimit-Reset delta, X-RateLimit-Reset epoch seconds', () => {
    const now = 1_900_000_000_000;
    expect(serverWaitMs({ 'ratelimit-reset': '7' })).toBeUndefined();
    expect(serverWaitMs({ 'ratelimit-reset': '7' }, { resetHeaders: true, now })).toBe(7000);
    expect(serverWaitMs({ 'x-ratelimit-reset': String(now / 1000 + 4) }, { resetHeaders: true, now })).toBe(4000);
  });

  it('URLs are shown without credentials', () => {
    expect(redactUrl('https://u:p@api.x.com/a?api_key=1&access_token=2&q=ok&foo=3', ['foo'])).toBe('https://api.x.com/a?api_key=***&access_token=***&q=ok&foo=***');
  });

  it('JSON paths with dotted keys; RFC 8288 Link headers', () => {
    expect(valueAt({ '@odata.nextLink': 'n' }, '@odata.nextLink')).toBe('n');
    expect(valueAt({ paging: { next: { after: 'c' } } }, 'paging.next.after')).toBe('c');
    expect(nextFromLinkHeader('<https://a/x?page=3>; rel="last", </x?page=2>; rel="next"', 'https://a/x')).toBe('https://a/x?page=2');
    expect(nextFromLinkHeader('<https://a/x?page=1>; rel="prev first"', 'https://a/x')).toBeUndefined();
  });
});
