import type { z } from 'zod';

/**
 * Kinds of tenant records a node field can name by id. The inspector edits such a field with a
 * picker of those records, and publishing refuses ids the tenant does not have.
 */
export type ReferenceKind = 'knowledgeBase';

/** What the console and the validator need to know of a node type; the handler lives in workflows/flow/handlers. */
export interface NodeDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  label: string;
  description: string;
  category: 'flow' | 'messaging' | 'logic' | 'ai' | 'integration';
  /** Schema of `node.data`: Fastify validates with it, the console generates its inspector from it. */
  data: S;
  /** Named output handles; an edge's `sourceHandle` must be one of these. */
  outputs: readonly string[];
  /** True when the node stops the walk until the contact replies. */
  waitsForInput?: boolean;
  /** Top-level fields of `data` holding ids (a string or a list of strings) of tenant records. */
  references?: Readonly<Record<string, ReferenceKind>>;
}

export const defineNode = <T extends string, S extends z.ZodType>(def: NodeDefinition<T, S>) => def;
