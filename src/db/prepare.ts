import { openDatabase } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { assertSupportedServer } from './server-version.ts';
import { installQueue } from '../engine/queue.ts';

/**
 * Brings a database to the current schema: the product's migrations, then what other components keep in
 * the same database (the job queue's schema). Used by `lmc migrate`, at start, and for the test template.
 */
export async function prepareDatabase(url: string): Promise<void> {
  const h = openDatabase(url, { max: 2 });
  try {
    await assertSupportedServer(h.pool);
    await migrateToLatest(h.db);
  } finally {
    await h.close();
  }
  await installQueue(url);
}
