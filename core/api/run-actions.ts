/** Operating on runs: the graph a run executed, and cancel / terminate / signal / reset. */
import { z } from 'zod';
import { storable, text } from './common';
import { storedGraph } from './flows';

export const runParam = z.object({ runId: text().min(1).max(300) });

export const runGraphResult = z.object({ flowId: z.string().nullable(), version: z.number().int().nullable(), graph: storedGraph.nullable() });

export const terminateBody = z.object({ reason: text().trim().min(1).max(1000).default('terminated from the console') });
export const signalBody = z.object({ name: text().min(1).max(100), args: storable(z.array(z.unknown()).max(10)).default([]) });
export const resetBody = z.object({ nodeId: text().min(1).max(64) });
export const runActionResult = z.object({ runId: z.string() });
