import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertSupportedServer, checkServerVersion } from '../../src/db/server-version.ts';
import { createTestContext, type TestContext } from '../helpers/test-context.ts';

// PostgreSQL 15, 16, 17 and 18 are supported; an older server is refused at start in one sentence with a code.
describe('supported PostgreSQL versions', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx?.close());

  it('refuses PostgreSQL 14 and older, naming the version found and the ones supported', () => {
    for (const [num, v] of [[140012, '14.12'], [130000, '13.0'], [90624, '9.6.24']] as const) {
      expect(() => checkServerVersion(num, v)).toThrow(
        expect.objectContaining({
          code: 'LMC_ERR_DB_UNSUPPORTED_VERSION',
          message: `this PostgreSQL version is not supported: the database server runs PostgreSQL ${v}; lmc needs PostgreSQL 15, 16, 17 or 18 (upgrade the server or point DATABASE_URL at a newer one)`,
        }),
      );
    }
  });

  it('accepts 15, 16, 17 and 18', () => {
    for (const num of [150000, 150018, 160010, 170006, 180001]) expect(() => checkServerVersion(num, String(num))).not.toThrow();
  });

  it('the test server (embedded, or LMC_TEST_DATABASE_URL) passes the check the app context makes at start', async () => {
    const num = await assertSupportedServer(ctx.pool);
    expect(num).toBeGreaterThanOrEqual(150000);
  });
});
