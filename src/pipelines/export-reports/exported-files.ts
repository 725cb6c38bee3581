import type { AppContext } from '../../app-context.ts';
import type { Readable } from 'node:stream';
import { connectorEnv, openConnection, withConnectionFiles } from '../../engine/connections.ts';
import { CommonErrors } from '../../shared/errors.ts';
import { FOLDERS, type FileEntry, type FileSource } from '../../kit/file-sources/file-source.ts';

/** The files under export/ of a drop, depth-first, folders before their content (at most `maxDepth` levels). */
export async function listExportFiles(files: FileSource, maxDepth = 4): Promise<FileEntry[]> {
  const out: FileEntry[] = [];
  const walk = async (dir: string, depth: number) => {
    for (const e of await files.list(dir)) {
      if (e.isDirectory) {
        if (depth < maxDepth) await walk(e.path, depth + 1);
      } else out.push(e);
    }
  };
  await walk(FOLDERS.export, 1);
  return out;
}

/**
 * The exported files of a connection's file drop (export/<location>/...), newest first.
 * @example await listConnectionExports(ctx, accountId, 3)
 */
export async function listConnectionExports(ctx: AppContext, accountId: number, connectionId: number): Promise<FileEntry[]> {
  const list = await withConnectionFiles(ctx, accountId, connectionId, listExportFiles, (c) =>
    CommonErrors.CONFLICT.create({ detail: `connector ${c} has no file drop: its exports go to the vendor's API`, field: 'id' }),
  );
  return list.sort((a, b) => b.modifiedAt.getTime() - a.modifiedAt.getTime() || a.path.localeCompare(b.path));
}

/**
 * Opens one exported file of a connection's drop for download: `path` must lie under export/ (no "..").
 * The drop stays open until the stream ends or fails.
 * @example const f = await openConnectionExport(ctx, accountId, 3, 'export/skills_20260101.csv'); f.stream.pipe(res)
 */
export async function openConnectionExport(ctx: AppContext, accountId: number, connectionId: number, path: string): Promise<{ name: string; stream: Readable }> {
  const parts = path.split('/');
  if (parts[0] !== FOLDERS.export || parts.length < 2 || parts.some((p) => p === '' || p === '.' || p === '..')) {
    throw CommonErrors.VALIDATION.create({ detail: `not a file of the export folder: ${path}`, field: 'path' });
  }
  const { connector, settings } = await openConnection(ctx, accountId, connectionId);
  if (!connector.openFiles) throw CommonErrors.CONFLICT.create({ detail: `connector ${connector.id} has no file drop: its exports go to the vendor's API`, field: 'id' });
  const drop = await connector.openFiles(settings as never, connectorEnv(ctx, accountId, connectionId));
  try {
    const dir = parts.slice(0, -1).join('/');
    const name = parts[parts.length - 1];
    if (!(await drop.list(dir)).some((e) => e.name === name && !e.isDirectory)) throw CommonErrors.NOT_FOUND.create({ detail: `no exported file ${path}`, field: 'path' });
    const stream = await drop.read(path);
    const close = () => void drop.close().catch(() => undefined);
    stream.once('end', close).once('error', close).once('close', close);
    return { name, stream };
  } catch (e) {
    await drop.close().catch(() => undefined);
    throw e;
  }
}
