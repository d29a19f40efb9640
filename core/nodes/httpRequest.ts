import { z } from 'zod';
import { defineNode } from './define';

export const httpRequestNode = defineNode({
  type: 'httpRequest',
  label: 'HTTP request',
  description: 'Calls an HTTP API (host must be on the allowlist) and maps the JSON response into variables.',
  category: 'integration',
  data: z.object({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).default('GET').describe('HTTP method'),
    url: z.string().min(1, 'url is required').describe('Address to call; its host must be on the allowlist. May contain {{variables}}, e.g. https://api.example.com/orders/{{orderId}}'),
    headers: z.record(z.string(), z.string()).default({}).describe('Request headers, name → value; values may contain {{variables}}'),
    body: z.string().max(100_000).optional().describe('Request body as JSON text; may contain {{variables}}'),
    timeoutMs: z.number().int().min(100).max(30_000).default(10_000).describe('Milliseconds to wait for the response before following the "error" edge'),
    /** variable → JSONata expression over `{status, headers, body}`. */
    responseMapping: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().min(1))
      .default({})
      .describe('Variables to set from the response, variable → JSONata over {status, headers, body}, e.g. orderId → body.id'),
  }),
  outputs: ['next', 'error'],
  // Unconnected, a failed call fails the node: a conversation's walk ends, a flowRun fails.
  optionalOutputs: ['error'],
  templateFields: ['url', 'body', 'headers.*'],
  longTextFields: ['body'],
  sets: (d) => (d.responseMapping && typeof d.responseMapping === 'object' ? Object.keys(d.responseMapping) : []),
});
