import { z } from 'zod';

/** A sub-folder name of export/: letters, digits, '-', '_', '.', and '/' between parts; no '..'. */
export const locationSchema = (dflt: string) =>
  z
    .string()
    .trim()
    .max(200)
    .regex(/^[A-Za-z0-9_.\- ]+(\/[A-Za-z0-9_.\- ]+)*$|^$/, 'letters, digits, space, "-", "_", "." and "/" between folder names')
    .refine((s) => !s.split('/').some((p) => p === '..' || p === '.'), 'no "." or ".." folders')
    .default(dflt)
    .describe('folder under export/ where the files are placed (the spec\'s Home/export/<location>)');

export const zipSchema = z.boolean().default(false).describe('write <name>.csv.zip (the CSV zipped) instead of the CSV');
