import type { AppContext } from '../../app-context.ts';
import { withConnectionFiles } from '../../engine/connections.ts';
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
