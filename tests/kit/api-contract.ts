/**
 * The contract every API connector passes, run through the real engine against its simulator (API-CONNECTOR.md):
 * a 429 in the middle of a paged read is waited out, an expired token is renewed once, a vendor that keeps
 * failing fails the run with a retryable code and leaves the incremental state where it was. The connector's
 * test file calls `apiContract({...})` inside a describe, after it has created its connection; it also uses
 * `runAction`, `vendorCalls` and `errorReport` for its own points (multi-page read, delta run, rejects).
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
}

/** Registers the shared contract cases (vitest `it`s) for one connector. */
export function apiContract(o: ApiContractOptions): void {
  const ok = o.ok ?? ['completed', 'completed_with_errors'];
  const run = () => runAction(o.stack(), o.connectionId(), o.actionId);

  it('contract: a 429 in the middle of a paged read is waited out (Retry-After) and the run completes', async () => {
    const { before } = await o.prepareMultiPage();
    o.faults().push({ kind: '429', retryAfterSeconds: 1, pathContains: o.readPath, after: before });
    const r = await run();
    expect(ok, `${r.status}: ${r.error}`).toContain(r.status);
    const c = vendorCalls(r);
    expect(c.throttled).toBeGreaterThanOrEqual(1);
    expect(c.waitMs).toBeGreaterThanOrEqual(1000);
    expect(r.log.some((l) => /answered 429; trying again in 1 s, as it asked/.test(l.message))).toBe(true);
  });

  it('contract: an expired token is renewed once and the run completes', async () => {
    const { before } = await o.prepareMultiPage();
    o.faults().push({ kind: 'expire-token', pathContains: o.readPath, after: before });
    const r = await run();
    expect(ok, `${r.status}: ${r.error}`).toContain(r.status);
    expect(vendorCalls(r).authRefreshes).toBe(1);
  });

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
}
