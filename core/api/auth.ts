/** Console sign-in: payloads of /v1/auth/*. */
import { z } from 'zod';
import { text } from './common';

export const USER_ROLE_VALUES = ['admin', 'builder', 'agent', 'viewer', 'marketer', 'approver'] as const;
export const userRoleSchema = z.enum(USER_ROLE_VALUES);
export type Role = z.infer<typeof userRoleSchema>;

export const loginBody = z.object({
  email: text().trim().min(1, 'email is required').max(320),
  password: text().min(1, 'password is required').max(1000),
  /** The tenant's slug; needed only when the email has accounts in more than one workspace. */
  workspace: text().trim().min(1).max(64).optional(),
});

export const sessionBody = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string(), role: userRoleSchema, phone: z.string().nullable() }),
    tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    /** Send back as `x-csrf-token` on every POST/PUT/PATCH/DELETE made with the session cookie. */
    csrfToken: z.string(),
  })
  .meta({ id: 'Session' });
