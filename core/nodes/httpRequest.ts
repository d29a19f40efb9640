import { z } from 'zod';
import { defineNode } from './define';

export const httpRequestNode = defineNode({
  type: 'httpRequest',
  label: 'HTTP request',
  description: 'Calls an HTTP API (host must be on the allowlist) and maps the JSON response into variables.',
  category: 'integration',
  data: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET'),
    url: z.string().min(1, 'url is required').describe('URL template, e.g. https://api.example.com/orders/{{orderId}}'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.string().max(100_000).optional().describe('Body template (JSON text)'),
    timeoutMs: z.number().int().min(100).max(30_000).default(10_000),
    /** variable → JSONata expression over `{status, headers, body}`. */
    responseMapping: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().min(1)).default({}),
  }),
  outputs: ['next', 'error'],
});
