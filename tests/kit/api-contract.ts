/**
 * The contract every API connector passes, run through the real engine against its simulator (API-CONNECTOR.md):
 * a 429 in the middle of a paged read is waited out, an expired token is renewed once, a vendor that keeps
 * failing fails the run with a retryable code and leaves the incremental state where it was; with the optional
 * hooks, also a read of several pages (`requests`), a second incremental run that reads only the changes
 * (`changeSome`) and a rejected record named by its vendor id in the error report (`rejectOne`). Connectors
 * that sign in otherwise than with a renewable token say so in `credentials` (a static bearer token, or
 * credentials sent with every request as WS-Security does). The connector's test file calls
 * `apiContract({...})` inside a describe, after it has created its connection; it may also use `runAction`,
 * `vendorCalls` and `errorReport` for points of its own.
 *
 * @example
 *   describe('contract', () => apiContract({ stack: () => stack, connectionId: () => id, actionId: 'import-users',
 *     faults: () => sim.faults, readPath: '/v1.0/users', prepareMultiPage: async () => ({ before: 2 }) }));
 */
import { expect, it } from 'vitest';
import type { Fault } from '../../simulators/kit/faults.ts';
import type { AppContext } from '../../src/app-context.ts';
import { HttpErrors } from '../../src/kit/http/errors.ts';
import { waitForStatus } from '../engine/helpers.ts';
import type { apiClient } from '../helpers/api.ts';

export interface ContractStack {
  ctx: AppContext;
  admin: ReturnType<typeof apiClient>;
  accountId: number;
}

/** A run as GET /api/v1/runs/{id} shows it. */
export interface RunView {
  id: number;
  status: string;
  counts: Record<string, number>;
  error: string | null;
  errorCode: string | null;
  incremental: { before: unknown; after: unknown } | null;
  log: Array<{ level: string; message: string; data?: Record<string, unknown> }>;
  [k: string]: unknown;
}

const ENDED = ['completed', 'completed_with_errors', 'failed', 'needs_approval', 'cancelled'];

/** Starts an action through the API (on demand, or `{ dryRun: true }`) and waits until its run ends. */
export async function runAction(stack: ContractStack, connectionId: number, actionId: string, more: Record<string, unknown> = {}): Promise<RunView> {
  const r = await stack.admin.post('/api/v1/runs', { connectionId, actionId, ...more });
  expect(r.statusCode, r.body).toBe(202);
  await waitForStatus(stack.ctx, stack.accountId, r.data.id, ENDED);
  return (await stack.admin.get(`/api/v1/runs/${r.data.id}`)).data as RunView;
}

/** The vendor API counters the engine writes to a run's log (calls, retries, throttled, authRefreshes, waitMs...). */
export function vendorCalls(run: RunView): Record<string, number> {
  const line = run.log.find((l) => l.message.startsWith('vendor API:'));
  expect(line, 'the run log has the vendor API summary').toBeDefined();
  return line!.data as Record<string, number>;
}

/** The run's error report (CSV text: source,line,record_id,field,reason). */
export async function errorReport(stack: ContractStack, runId: number): Promise<string> {
  const r = await stack.admin.get(`/api/v1/runs/${runId}/errors.csv`);
  expect(r.statusCode).toBe(200);
  return r.body;
}

/** The action's saved incremental state (null: the next run reads everything). */
export async function actionState(stack: ContractStack, connectionId: number, actionId: string): Promise<unknown> {
  return (await stack.admin.get(`/api/v1/connections/${connectionId}/actions/${actionId}/state`)).data.state;
}

export interface ApiContractOptions {
  stack(): ContractStack;
  connectionId(): number;
  actionId: string;
  /** The simulator's fault queue. */
  faults(): Fault[];
  /** A part of the path of the paged read (faults hit only those requests). */
  readPath: string;
  /**
   * Makes the next run read several pages of `readPath` (e.g. resets the incremental state); returns how many
   * requests matching `readPath` the run sends before its second page.
   */
  prepareMultiPage(): Promise<{ before: number }>;
  /** What a successful run ends with (default completed or completed_with_errors). */
  ok?: string[];
  /**
   * How the connection signs in (default 'refreshable': an OAuth token the engine renews). 'static-token': a
   * bearer token an admin pastes; one the vendor stops accepting fails the run at once (nothing to renew), and
   * `restore()` gives the connection a valid one again. 'per-request': credentials sent with every request
   * (WS-Security UsernameToken, basic): a refused request fails the run at once with `refusedCode`.
   */
  credentials?: 'refreshable' | { kind: 'static-token'; restore(): Promise<void> } | { kind: 'per-request'; refusedCode: string };
  /**
   * How the vendor throttles (default `{ status: 429, retryAfter: true }`). Salesforce answers 403
   * REQUEST_LIMIT_EXCEEDED without Retry-After: the run then waits its own backoff. The simulator turns the
   * injected '429' fault into the vendor's throttling answer.
   */
  throttle?: { status: number; retryAfter: boolean };
  /** The paths of every request the simulator received so far (its request log), for the multi-page point. */
  requests?(): string[];
  /**
   * After a full run: changes records at the vendor; returns how many records the next (incremental) run must
   * read. Registers the point "the second incremental run reads only the changes".
   */
  changeSome?(): Promise<{ read: number }>;
  /**
   * Makes a record the import must reject (e.g. an invalid e-mail); returns its vendor id and how to undo it.
   * Registers the point "a per-record reject names the vendor's record id in the error report".
   */
  rejectOne?(): Promise<{ recordId: string; undo(): Promise<void> }>;
}

/** Registers the shared contract cases (vitest `it`s) for one connector. */
export function apiContract(o: ApiContractOptions): void {
  const ok = o.ok ?? ['completed', 'completed_with_errors'];
  const throttle = o.throttle ?? { status: 429, retryAfter: true };
  const run = () => runAction(o.stack(), o.connectionId(), o.actionId);

  it(`contract: throttling (${throttle.status}${throttle.retryAfter ? ' with Retry-After' : ''}) in the middle of a paged read is waited out and the run completes`, async () => {
    const { before } = await o.prepareMultiPage();
    // A vendor without Retry-After is throttled without one (`headers: {}`: the fault kit adds none); the run
    // then waits its own backoff.
    o.faults().push({ kind: '429', ...(throttle.retryAfter ? { retryAfterSeconds: 1 } : { headers: {} }), pathContains: o.readPath, after: before });
    const r = await run();
    expect(ok, `${r.status}: ${r.error}`).toContain(r.status);
    const c = vendorCalls(r);
    expect(c.throttled).toBeGreaterThanOrEqual(1);
    const said = (m: string) => (throttle.retryAfter ? m.includes(`answered ${throttle.status}; trying again in 1 s, as it asked`) : new RegExp(`answered ${throttle.status}; trying again in \\d+ s$`).test(m));
    expect(c.waitMs).toBeGreaterThanOrEqual(throttle.retryAfter ? 1000 : 1);
    expect(r.log.filter((l) => l.level === 'warn').map((l) => l.message).some(said), JSON.stringify(r.log.map((l) => l.message))).toBe(true);
  });

  if (o.requests) {
    const requests = o.requests;
    it('contract: a full read requests several pages and the run completes', async () => {
      const { before } = await o.prepareMultiPage();
      const from = requests().length;
      const r = await run();
      expect(ok, `${r.status}: ${r.error}`).toContain(r.status);
      // `before` requests of readPath come before the second page: at least one more means page 2 was read.
      expect(requests().slice(from).filter((p) => p.includes(o.readPath)).length).toBeGreaterThanOrEqual(before + 1);
    });
  }

  const credentials = o.credentials ?? 'refreshable';
  if (credentials === 'refreshable') {
    it('contract: an expired token is renewed once and the run completes', async () => {
      const { before } = await o.prepareMultiPage();
      o.faults().push({ kind: 'expire-token', pathContains: o.readPath, after: before });
      const r = await run();
      expect(ok, `${r.status}: ${r.error}`).toContain(r.status);
      expect(vendorCalls(r).authRefreshes).toBe(1);
    });
  } else if (credentials.kind === 'static-token') {
    it('contract: a token the vendor stops accepting fails the run at once (a static token cannot be renewed); a new one works', async () => {
      const { before } = await o.prepareMultiPage();
      o.faults().push({ kind: 'expire-token', pathContains: o.readPath, after: before });
      try {
        const r = await run();
        expect(r.status).toBe('failed');
        expect(r.errorCode).toBe(HttpErrors.AUTH.code);
        expect(vendorCalls(r).authRefreshes ?? 0).toBe(0);
      } finally {
        o.faults().length = 0;
        await credentials.restore();
      }
      const again = await run();
      expect(ok, `${again.status}: ${again.error}`).toContain(again.status);
    });
  } else {
    it('contract: credentials refused on a request fail the run at once with a clear code (sent with every request: nothing to renew); the next run works', async () => {
      const { before } = await o.prepareMultiPage();
      o.faults().push({ kind: '401', pathContains: o.readPath, after: before });
      try {
        const r = await run();
        expect(r.status).toBe('failed');
        expect(r.errorCode).toBe(credentials.refusedCode);
        expect(vendorCalls(r).authRefreshes ?? 0).toBe(0);
        expect(vendorCalls(r).retries ?? 0).toBe(0);
      } finally {
        o.faults().length = 0;
      }
      const again = await run();
      expect(ok, `${again.status}: ${again.error}`).toContain(again.status);
    });
  }

  it('contract: a vendor failing every retry fails the run with a retryable code; the incremental state stays', async () => {
    const stack = o.stack();
    const stateBefore = await actionState(stack, o.connectionId(), o.actionId);
    o.faults().push({ kind: '503', count: 1000, pathContains: o.readPath });
    try {
      const r = await run();
      expect(r.status).toBe('failed');
      expect(r.errorCode).toBe(HttpErrors.SERVER.code);
      expect(HttpErrors.SERVER.spec.retryable).toBe(true);
      expect(vendorCalls(r).retries).toBeGreaterThanOrEqual(1);
      expect(await actionState(stack, o.connectionId(), o.actionId)).toEqual(stateBefore);
    } finally {
      o.faults().length = 0;
    }
  });

  if (o.changeSome) {
    const changeSome = o.changeSome;
    it('contract: the second incremental run reads only the changes', async () => {
      const stack = o.stack();
      await o.prepareMultiPage();
      const full = await run();
      expect(ok, `${full.status}: ${full.error}`).toContain(full.status);
      expect(await actionState(stack, o.connectionId(), o.actionId), 'a successful run keeps a state').not.toBeNull();
      const { read } = await changeSome();
      const delta = await run();
      expect(ok, `${delta.status}: ${delta.error}`).toContain(delta.status);
      expect(delta.incremental?.before, 'the second run starts from the state of the first').toEqual(full.incremental?.after);
      expect(delta.counts.read ?? 0).toBe(read);
      expect(delta.counts.read ?? 0).toBeLessThan(full.counts.read ?? 0);
      expect(vendorCalls(delta).calls).toBeLessThanOrEqual(vendorCalls(full).calls);
    });
  }

  if (o.rejectOne) {
    const rejectOne = o.rejectOne;
    it("contract: a record the import refuses is in the error report under the vendor's record id; the others are imported", async () => {
      const { recordId, undo } = await rejectOne();
      let r: RunView;
      try {
        r = await run();
      } finally {
        await undo();
      }
      expect(r.status, `${r.status}: ${r.error}`).toBe('completed_with_errors');
      expect(r.counts.rejected).toBeGreaterThanOrEqual(1);
      const report = await errorReport(o.stack(), r.id);
      expect(report.split('\n').some((l) => l.split(',').includes(recordId)), report).toBe(true);
    });
  }
}
