import { z } from 'zod';

/** A password a user chooses (reset link, own change). */
export const NewPassword = z.string().min(12).max(200).describe('at least 12 characters');
