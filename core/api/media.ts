/** The public media route's query: the expiry and signature of a signed URL. */
import { z } from 'zod';

export const mediaQuery = z.object({
  expires: z.string().max(20).optional(),
  signature: z.string().max(100).optional(),
});
