import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Database } from './database.ts';

const migrationsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Migrations are the files of src/db/migrations, applied in name order. Names start with a four-digit
 * number followed by the area (0001-core.ts, 0002-engine.ts, ...).
 */
class FolderProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(migrationsDir)).filter((f) => /^\d{4}-.*\.ts$/.test(f) && !f.endsWith('.test.ts')).sort();
    const out: Record<string, Migration> = {};
    for (const f of files) {
      out[f.replace(/\.ts$/, '')] = (await import(pathToFileURL(path.join(migrationsDir, f)).href)) as Migration;
    }
    return out;
  }
}

export class MigrationError extends Error {}

const migratorOf = (db: Database) => new Migrator({ db, provider: new FolderProvider(), migrationTableName: 'lmc_migrations', migrationLockTableName: 'lmc_migrations_lock' });

/** Names of the migrations not applied yet to this database (all of them on a fresh one). */
export async function pendingMigrations(db: Database): Promise<string[]> {
  return (await migratorOf(db).getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
}

/** Applies every pending migration; throws with the failing migration's name and cause. */
export async function migrateToLatest(db: Database): Promise<MigrationResultSet> {
  const migrator = migratorOf(db);
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(`migration ${failed?.migrationName ?? '?'} failed: ${(result.error as Error).message ?? result.error}`, { cause: result.error });
  }
  return result;
}
