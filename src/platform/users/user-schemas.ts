import { z } from 'zod';

// One schema per concept: the API validates with these, the services take their types.
export const ROLES = ['learner', 'manager', 'author', 'admin', 'integration_admin'] as const;
export const USER_STATES = ['active', 'suspended', 'deleted'] as const;

const managerRef = z.union([z.number().int().positive(), z.string().min(1)]).describe('the manager: a user id or email');
const stringMap = z.record(z.string(), z.string());

export const NewUserSchema = z.object({
  email: z.string().email().max(320),
  name: z.string().trim().min(1).max(200),
  manager: managerRef.nullable().optional(),
  userType: z.enum(['internal', 'external']).optional(),
  state: z.enum(USER_STATES).optional(),
  roles: z.array(z.enum(ROLES)).min(1).optional().describe('default learner; other roles only by an admin'),
  externalIds: stringMap.optional(),
  profile: stringMap.optional(),
  fields: stringMap.optional().describe('active field values by field name'),
  password: z.string().optional().describe("refused (LMC_ERR_USER_PASSWORD_NOT_SETTABLE): the user sets it from a reset link an admin issues"),
});
export type NewUser = z.infer<typeof NewUserSchema>;

export const UserPatchSchema = z.object({
  email: z.string().email().max(320).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  manager: managerRef.nullable().optional().describe('a user id or email; null removes the manager'),
  userType: z.enum(['internal', 'external']).optional(),
  state: z.enum(USER_STATES).optional(),
  roles: z.array(z.enum(ROLES)).min(1).optional().describe('only an admin changes roles, never their own upwards; the last active admin keeps the role'),
  externalIds: z.record(z.string(), z.string().nullable()).optional().describe('merged; null removes a key (hr_uuid cannot be removed)'),
  profile: z.record(z.string(), z.string().nullable()).optional().describe('merged; null removes a key'),
  fields: z.record(z.string(), z.string().nullable()).optional().describe('merged; null removes a value'),
  dataSourceId: z.number().int().positive().nullable().optional()
    .describe('the connection whose imports own the user (null: none); the only way an import may take over an administrator'),
  password: z.string().optional().describe("refused (LMC_ERR_USER_PASSWORD_NOT_SETTABLE): nobody sets another user's password"),
});
export type UserPatch = z.infer<typeof UserPatchSchema>;

export const UserListQuerySchema = z.object({
  search: z.string().optional().describe('part of the email or name (case-insensitive)'),
  state: z.enum(USER_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const UserViewSchema = z.object({
  id: z.number(),
  email: z.string(),
  name: z.string(),
  managerId: z.number().nullable(),
  managerEmail: z.string().nullable(),
  userType: z.string(),
  state: z.string(),
  roles: z.array(z.string()),
  externalIds: stringMap,
  dataSourceId: z.number().nullable(),
  profile: stringMap,
  fields: stringMap,
  createdAt: z.date(),
  updatedAt: z.date(),
});
