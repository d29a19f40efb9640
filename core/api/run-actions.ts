/** Operating on runs: the graph a run executed, and cancel / terminate / signal / reset. */
import { z } from 'zod';
import { storedGraph } from './flows';

export const runParam = z.object({ runId: z.string().min(1).max(300) });

export const runGraphResult = z.object({ flowId: z.string().nullable(), version: z.number().int().nullable(), graph: storedGraph.nullable() });

export const terminateBody = z.object({ reason: z.string().trim().min(1).max(1000).default('terminated from the console') });
export const signalBody = z.object({ name: z.string().min(1).max(100), args: z.array(z.unknown()).max(10).default([]) });
export const resetBody = z.object({ nodeId: z.string().min(1).max(64) });
export const runActionResult = z.object({ runId: z.string() });
