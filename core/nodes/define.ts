import type { z } from 'zod';

/**
 * Kinds of tenant records a node field can name by id. The inspector edits such a field with a
 * picker of those records, and publishing refuses ids the tenant does not have.
 */
export type ReferenceKind = 'knowledgeBase' | 'service' | 'brandVoice';

/** A node's settings as the builder holds them while editing: not validated yet. */
export type RawData = Record<string, unknown>;

/**
 * Everything the validator, the API and the console know of a node type. The workflow's handler
 * (workflows/flow/handlers) is the only other place a node type appears.
 */
export interface NodeDefinition<T extends string = string, S extends z.ZodType = z.ZodType> {
  type: T;
  label: string;
  description: string;
  category: 'flow' | 'messaging' | 'logic' | 'ai' | 'integration' | 'voice';
  /**
   * Schema of `node.data`: defaults, help text (`.describe`) and cross-field rules (`.refine`).
   * Fastify validates with it, the console generates its inspector from it.
   */
  data: S;
  /** Named output handles; an edge's `sourceHandle` must be one of these. */
  outputs: readonly string[];
  /** Outputs that may stay unconnected (the node says what happens then); every other one must be connected. */
  optionalOutputs?: readonly string[];
  /** Where every walk begins: a flow has exactly one, and it has no input handle. */
  entry?: boolean;
  /**
   * Set on node types that cannot run on a phone call: why, and what to use instead. A flow with a
   * voice node (category `voice`) is a phone flow, and the validator refuses these in it by node id.
   */
  chatOnly?: string;
  /** True when the node stops the walk until the contact replies. */
  waitsForInput?: boolean;
  /** Top-level fields of `data` holding ids (a string or a list of strings) of tenant records. */
  references?: Readonly<Record<string, ReferenceKind>>;
  /**
   * Fields holding `{{variable}}` templates, checked before publishing. A dotted path names a
   * nested field, `*` every value of a map; a list of strings is one template per entry.
   */
  templateFields?: readonly string[];
  /** Text fields the inspector edits in a box of several lines (longer than 4096 characters, any text field is). */
  longTextFields?: readonly string[];
  /** Fields holding expressions over the variables, checked before publishing. */
  expressionFields?: readonly string[];
  /** Fields holding regular expressions (run on RE2, linear time), checked before publishing. */
  patternFields?: readonly string[];
  /** Variables the node stores into the run, read from settings being edited (the builder offers them downstream). */
  sets?: (data: RawData) => string[];
  /** One line for the node on the canvas; undefined falls back to its first short text field. */
  summary?: (data: RawData) => string | undefined;
}

export const defineNode = <T extends string, S extends z.ZodType>(def: NodeDefinition<T, S>) => def;

/** `[name]` when a settings field holds a variable name, else none. */
export const variableIn = (value: unknown): string[] => (typeof value === 'string' && value ? [value] : []);
