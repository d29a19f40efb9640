import { z } from 'zod';
import type { ValidNode } from '../nodes';

/**
 * Structural schema of a flow graph. Drafts only need to pass this (a builder saves work in
 * progress); `validateGraph` checks node data, wiring and reachability before publishing.
 */
export const nodeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'node id must be 1-64 letters, digits, _ or -');

export const graphNodeSchema = z.object({
  id: nodeIdSchema,
  type: z.string().min(1),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
  data: z.record(z.string(), z.unknown()).default({}),
});

export const graphEdgeSchema = z.object({
  id: z.string().min(1).max(128),
  source: nodeIdSchema,
  target: nodeIdSchema,
  /** Output handle of the source node; `next` when omitted. */
  sourceHandle: z.string().min(1).max(64).optional(),
});

export const flowSettingsSchema = z.object({
  /** A contact message containing one of these (whole words, case-insensitive) asks for a human. */
  handoffKeywords: z.array(z.string().min(1)).default(['human', 'agent', 'operator']),
  /** The conversation closes after this long without a message. */
  idleTimeoutMinutes: z.number().positive().max(60 * 24 * 30).default(30),
  /** Messages kept verbatim in the context window; older ones are folded into a summary. */
  contextWindow: z.number().int().min(2).max(200).default(20),
  /** Variables a run starts with. */
  variables: z.record(z.string(), z.unknown()).default({}),
  /** What the contact is told when a node fails (the model is down, an HTTP call has no error edge…). */
  errorMessage: z.string().min(1).max(1000).default('Sorry, something went wrong on my side. Please try again in a moment, or ask for a human.'),
});

export const graphSchema = z.object({
  nodes: z.array(graphNodeSchema).max(2000),
  edges: z.array(graphEdgeSchema).max(10_000),
  settings: flowSettingsSchema.default(flowSettingsSchema.parse({})),
});

export type GraphNode = z.infer<typeof graphNodeSchema>;
export type GraphEdge = z.infer<typeof graphEdgeSchema>;
export type FlowSettings = z.infer<typeof flowSettingsSchema>;
export type Graph = z.infer<typeof graphSchema>;
/** A graph as written by hand or sent by a client: settings and node data may rely on defaults. */
export type GraphInput = z.input<typeof graphSchema>;

/** A node whose data passed its type's schema (defaults applied); the union follows the node catalogue. */
export type { ValidNode };

/** What a published FlowVersion holds and what workflows receive: validated, defaults applied. */
export interface ValidGraph {
  nodes: ValidNode[];
  edges: GraphEdge[];
  settings: FlowSettings;
}

/** One problem `validateGraph` found, with the node or edge it belongs to. */
export const graphErrorSchema = z.object({
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  /** The node's data field at fault, when one is. */
  field: z.string().optional(),
  message: z.string(),
});
export type GraphError = z.infer<typeof graphErrorSchema>;
