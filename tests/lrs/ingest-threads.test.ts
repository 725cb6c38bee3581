import crypto from 'node:crypto';
import fs from 'node:fs';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareOffThread } from '../../src/lrs/ingest-pool.ts';
import { qs, startLrs, statement, type LrsHarness } from './lrs-server.ts';

// Issue 13, point 15: with clients posting batches, the verb query waited behind the parsing and validation of
// their statements on the API's event loop. That work now runs on an ingest thread.
let h: LrsHarness;
beforeAll(async () => {
  h = await startLrs();
});
afterAll(async () => {
  await h?.close();
});

const body = (x: unknown) => Buffer.from(JSON.stringify(x));
const input = (statements: unknown) => ({ body: body(statements), version: '2.0.0' as const, stored: new Date().toISOString(), authority: { objectType: 'Agent', account: { homePage: 'https://lmc.invalid/lrs-keys', name: 'k' } }, defaultVersion: '2.0.0' });

describe('LRS ingest threads', () => {
  it('a POSTed batch is parsed, validated and shaped on another thread than the event loop', async () => {
    const batch = Array.from({ length: 50 }, () => statement({ id: crypto.randomUUID() }));
    const pre = await prepareOffThread(input(batch));
    expect(pre).not.toBeNull();
    expect(pre!.threadId).not.toBe(threadId);
    expect(pre!.rows.map((r) => r.id)).toEqual(batch.map((s) => (s as { id: string }).id));
    // The ingest thread runs below the event loop's priority (nice 19 by default), so queries go first on busy cores.
    const nices = fs.readdirSync(`/proc/${process.pid}/task`).map((t) => Number(fs.readFileSync(`/proc/${process.pid}/task/${t}/stat`, 'utf8').split(') ')[1].split(' ')[16]));
    expect(nices).toContain(19);
    expect(Number(fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')[16])).toBe(0);
    const stored = JSON.parse(pre!.rows[0].json);
    expect(stored).toMatchObject({ id: (batch[0] as { id: string }).id, version: '2.0.0', authority: { account: { name: 'k' } } });
  });

  it('leaves to the usual path what it would refuse or cannot do alone: invalid JSON or statements, repeated ids, attachments', async () => {
    expect(await prepareOffThread({ ...input([]), body: Buffer.from('{not json') })).toBeNull();
    expect(await prepareOffThread(input([]))).toBeNull();
    expect(await prepareOffThread(input([{ actor: { mbox: 'mailto:a@x.test' } }]))).toBeNull();
    const id = crypto.randomUUID();
    expect(await prepareOffThread(input([statement({ id }), statement({ id })]))).toBeNull();
    expect(await prepareOffThread(input([statement({ attachments: [{ usageType: 'http://x.test/u', display: { en: 'a' }, contentType: 'text/plain', length: 1, sha2: 'a'.repeat(64), fileUrl: 'http://x.test/a' }] })]))).toBeNull();
  });

  it('statements stored through the thread read back as through the usual path: normalised context, ids, stored, queries by agent and activity', async () => {
    const reg = crypto.randomUUID();
    const one = statement({ context: { registration: reg, contextActivities: { parent: { id: 'http://x.test/course/1' } } } });
    const r = await h.raw('/statements', { method: 'POST', body: JSON.stringify([one, statement({ context: { registration: reg } })]), headers: { 'Content-Type': 'application/json' } });
    expect(r.status).toBe(200);
    const ids = (await r.json()) as string[];
    expect(ids).toHaveLength(2);
    const got = await (await h.raw(`/statements${qs({ registration: reg, ascending: 'true' })}`)).json();
    expect(got.statements.map((s: { id: string }) => s.id)).toEqual(ids);
    expect(got.statements[0].context.contextActivities.parent).toEqual([{ id: 'http://x.test/course/1' }]);
    expect(got.statements[0].stored).toBe(got.statements[1].stored);
    const related = await (await h.raw(`/statements${qs({ activity: 'http://x.test/course/1', related_activities: 'true' })}`)).json();
    expect(related.statements.map((s: { id: string }) => s.id)).toContain(ids[0]);
    // An invalid batch still answers the usual 400, naming the statement and property.
    const bad = await h.raw('/statements', { method: 'POST', body: JSON.stringify([statement(), { ...statement(), verb: { id: 'not an iri' } }]), headers: { 'Content-Type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('statement[1].verb.id');
  });
});
