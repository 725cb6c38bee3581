import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import type { AppContext } from '../../app-context.ts';
import { FOLDERS, normalizeDropPath, type FileSource } from '../../kit/file-sources/file-source.ts';
import { uniqueExportName } from './export-file-name.ts';
import type { ReportId, ReportParams } from './report-definition.ts';
import { openReportStream, type ReportStream } from './report-stream.ts';

export interface DropExport {
  report: ReportId;
  params: ReportParams;
  /** Sub-folder of export/ (the spec's Home/export/<location>); '' for export/ itself. */
  location: string;
  /** The CSV's file name; with zip the archive is <fileName>.zip holding <fileName>. */
  fileName: string;
  zip: boolean;
  /** The run writing the file: named in the file name when the window's name is already taken. */
  runId?: number;
  signal?: AbortSignal;
}

/** The export folder of a location: export/<location>, checked to stay inside export/. */
export function exportDir(location: string): string {
  return [FOLDERS.export, ...normalizeDropPath(location)].join('/');
}

/**
 * Streams a report into a file drop: COPY → (zip) → FileSource.write, which writes under a temporary name and
 * renames, so a reader polling the folder never sees a partial file. Memory does not grow with the size.
 * @example await exportToDrop(ctx, files, { report: 'user-skills', params, location: 'skills', fileName, zip: false })
 */
export async function exportToDrop(ctx: AppContext, files: FileSource, e: DropExport): Promise<{ path: string; rows: number }> {
  return streamToDrop(files, { ...e, date: e.params.to }, () => openReportStream(ctx, e.report, e.params));
}

/** Where and how streamToDrop writes (DropExport without the report). */
export interface DropTarget {
  location: string;
  fileName: string;
  zip: boolean;
  /** The date of the entry inside the zip (default now). */
  date?: Date;
  /** The run writing the file: named in the file name when `fileName` is already taken (see uniqueExportName). */
  runId?: number;
  signal?: AbortSignal;
}

/**
 * Writes a CSV stream opened by `open` (after the export folder exists) into export/<location>/<fileName>,
 * optionally zipped, atomically. Never replaces a file: when the name is taken (two runs in one second, a re-run)
 * the run id is added to it (uniqueExportName); the returned path is the one written. Any producer of a ReportStream can use it (the xAPI export does).
 * @example await streamToDrop(files, { location: 'xapi', fileName: 'x.csv', zip: true }, () => openMyStream())
 */
export async function streamToDrop(files: FileSource, e: DropTarget, open: () => Promise<ReportStream>): Promise<{ path: string; rows: number }> {
  const dir = exportDir(e.location);
  await files.ensureDir(dir);
  const taken = new Set((await files.list(dir)).map((f) => f.name));
  const fileName = uniqueExportName(taken, e.fileName, { zip: e.zip, runId: e.runId });
  const r = await open();
  const abort = () => r.stream.destroy(new Error('the run was cancelled'));
  e.signal?.addEventListener('abort', abort, { once: true });
  if (e.signal?.aborted) abort();
  try {
    let body: Readable = r.stream;
    let target = `${dir}/${fileName}`;
    if (e.zip) {
      // Level 1: export files are large and repetitive; the fastest level already shrinks CSV several times.
      const archive = new ZipArchive({ zlib: { level: 1 } });
      r.stream.on('error', (err) => archive.destroy(err));
      archive.append(r.stream, { name: fileName, date: e.date ?? new Date() });
      void archive.finalize().catch((err: Error) => archive.destroy(err));
      body = archive;
      target += '.zip';
    }
    await files.write(target, body);
    const { rows } = await r.done;
    return { path: target, rows };
  } catch (err) {
    r.stream.destroy();
    await r.done.catch(() => undefined);
    throw err;
  } finally {
    e.signal?.removeEventListener('abort', abort);
  }
}
