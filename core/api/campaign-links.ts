/** The public campaign link routes' schemas: a token in the path, and the one-click body mail clients post. */
import { z } from 'zod';

export const linkTokenParams = z.object({ token: z.string().min(1).max(100) });
export const ONE_CLICK_BODY = 'List-Unsubscribe=One-Click';
