/**
 * Publish-time validation of a flow graph: node data, wiring, reachability, expressions and
 * templates. Messages name the node and say what to fix, because a marketer reads them. What is
 * checked per node type comes from its catalogue definition (core/nodes): schema, outputs and which
 * of them may stay unconnected, template and expression fields. A flow must never silently fall
 * off a node, so every output not declared optional must be connected.
 */
import type { z } from 'zod';
import { nodeDefinition, type NodeDefinition } from '../nodes';
import { checkExpression } from '../expressions';
import { patternProblem } from '../regex';
import { parseTemplate } from '../template';
import { graphSchema, type GraphEdge, type GraphError, type ValidGraph, type ValidNode } from './schema';

export interface GraphValidation {
  valid: boolean;
  errors: GraphError[];
  graph?: ValidGraph;
}

export function validateGraph(input: unknown): GraphValidation {
  const parsed = graphSchema.safeParse(input);
  if (!parsed.success) {
    return { valid: false, errors: parsed.error.issues.map((i) => ({ message: `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}` })) };
  }
  const { edges, settings } = parsed.data;
  const errors: GraphError[] = [];
  const nodes: ValidNode[] = [];

  const seenNodes = new Set<string>();
  for (const raw of parsed.data.nodes) {
    if (seenNodes.has(raw.id)) {
      errors.push({ nodeId: raw.id, message: `Node id '${raw.id}' is used more than once` });
      continue;
    }
    seenNodes.add(raw.id);
    const def = nodeDefinition(raw.type);
    if (!def) {
      errors.push({ nodeId: raw.id, message: `Node '${raw.id}': unknown node type "${raw.type}"` });
      continue;
    }
    const data = def.data.safeParse(raw.data);
    if (!data.success) {
      for (const issue of data.error.issues) {
        const field = issue.path.map(String).join('.');
        errors.push({ nodeId: raw.id, ...(field ? { field } : {}), message: `Node '${raw.id}': ${describeIssue(issue)}` });
      }
      continue;
    }
    const node = { ...raw, data: data.data } as ValidNode;
    nodes.push(node);
    errors.push(...contentErrors(node, def));
  }

  const starts = parsed.data.nodes.filter((n) => nodeDefinition(n.type)?.entry);
  if (starts.length === 0) errors.push({ message: 'The flow needs a Start node' });
  if (starts.length > 1) {
    for (const s of starts.slice(1)) errors.push({ nodeId: s.id, message: `Node '${s.id}': a flow has exactly one Start node` });
  }

  errors.push(...channelErrors(parsed.data.nodes));
  errors.push(...wiringErrors(parsed.data.nodes, edges));
  if (starts.length === 1) errors.push(...reachabilityErrors(starts[0].id, parsed.data.nodes, edges));

  return errors.length ? { valid: false, errors } : { valid: true, errors, graph: { nodes, edges, settings } };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join('.');
  if (!field) return issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return `${field} is required`;
  return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
}

function contentErrors(node: ValidNode, def: NodeDefinition): GraphError[] {
  const errors: GraphError[] = [];
  const data = node.data as Record<string, unknown>;
  for (const field of def.expressionFields ?? []) {
    const expression = data[field];
    const problem = typeof expression === 'string' ? checkExpression(expression) : null;
    if (problem) errors.push({ nodeId: node.id, field, message: `Node '${node.id}': ${problem}` });
  }
  // Checked here rather than in the node's schema, which every console page loads: RE2 is ~45 kB gzipped.
  for (const field of def.patternFields ?? []) {
    const pattern = data[field];
    const problem = typeof pattern === 'string' ? patternProblem(pattern) : null;
    if (problem) errors.push({ nodeId: node.id, field, message: `Node '${node.id}': ${problem}` });
  }
  for (const [field, text] of (def.templateFields ?? []).flatMap((f) => templateValues(data, f.split('.'), ''))) {
    if (typeof text !== 'string') continue;
    const problem = parseTemplate(text);
    if (problem) errors.push({ nodeId: node.id, message: `Node '${node.id}': ${field} has a broken placeholder: ${problem}` });
  }
  return errors;
}

/** `[field, value]` pairs at a dotted path (`*` = every value of a map); a list at the end gives one pair per entry. */
function templateValues(value: unknown, [key, ...rest]: string[], at: string): (readonly [string, unknown])[] {
  if (key === undefined) return Array.isArray(value) ? value.map((v, i) => [`${at}.${i}`, v] as const) : [[at, value] as const];
  if (value === null || typeof value !== 'object') return [];
  const entries = key === '*' ? Object.entries(value) : [[key, (value as Record<string, unknown>)[key]] as const];
  return entries.flatMap(([k, v]) => templateValues(v, rest, at ? `${at}.${k}` : k));
}

/**
 * A flow with a voice node (category `voice`: say, menu, transfer…) answers phone calls; node types
 * that cannot run on a call (`chatOnly` in the catalogue) are refused in it, each by its id.
 */
function channelErrors(nodes: { id: string; type: string }[]): GraphError[] {
  const voice = nodes.find((n) => nodeDefinition(n.type)?.category === 'voice');
  if (!voice) return [];
  return nodes.flatMap((n) => {
    const def = nodeDefinition(n.type);
    return def?.chatOnly ? [{ nodeId: n.id, message: `Node '${n.id}': ${def.label} does not work on a phone call (this flow has the voice node '${voice.id}'): ${def.chatOnly}` }] : [];
  });
}

function wiringErrors(nodes: { id: string; type: string }[], edges: GraphEdge[]): GraphError[] {
  const errors: GraphError[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edgeIds = new Set<string>();
  const used = new Set<string>();
  for (const edge of edges) {
    if (edgeIds.has(edge.id)) errors.push({ edgeId: edge.id, message: `Edge id '${edge.id}' is used more than once` });
    edgeIds.add(edge.id);
    const source = byId.get(edge.source);
    if (!source) errors.push({ edgeId: edge.id, message: `Edge '${edge.id}' starts at node '${edge.source}', which does not exist` });
    if (!byId.has(edge.target)) errors.push({ edgeId: edge.id, message: `Edge '${edge.id}' points to node '${edge.target}', which does not exist` });
    if (!source) continue;
    const handle = edge.sourceHandle ?? 'next';
    const outputs = nodeDefinition(source.type)?.outputs;
    if (outputs && !outputs.includes(handle)) {
      const allowed = outputs.length ? `it has ${outputs.map((o) => `'${o}'`).join(', ')}` : 'it has no outputs';
      errors.push({ nodeId: source.id, edgeId: edge.id, message: `Node '${source.id}': no output '${handle}' (${allowed})` });
    }
    const key = `${edge.source}\u0000${handle}`;
    if (used.has(key)) errors.push({ nodeId: source.id, edgeId: edge.id, message: `Node '${source.id}': output '${handle}' is connected more than once` });
    used.add(key);
  }
  for (const node of nodes) {
    const def = nodeDefinition(node.type);
    const outputs = def?.outputs ?? [];
    const optional = def?.optionalOutputs ?? [];
    for (const handle of outputs) {
      if (optional.includes(handle) || used.has(`${node.id}\u0000${handle}`)) continue;
      errors.push({ nodeId: node.id, message: `Node '${node.id}': connect its '${handle}' output to the next step (or to an End node)` });
    }
  }
  return errors;
}

function reachabilityErrors(startId: string, nodes: { id: string }[], edges: GraphEdge[]): GraphError[] {
  // Adjacency first: the builder validates on every edit, and scanning all edges per node is quadratic.
  const next = new Map<string, string[]>();
  for (const e of edges) {
    const targets = next.get(e.source);
    if (targets) targets.push(e.target);
    else next.set(e.source, [e.target]);
  }
  const reached = new Set([startId]);
  const queue = [startId];
  while (queue.length) {
    for (const target of next.get(queue.pop() as string) ?? []) {
      if (!reached.has(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  return nodes.filter((n) => !reached.has(n.id)).map((n) => ({ nodeId: n.id, message: `Node '${n.id}' can never be reached from Start: connect it or delete it` }));
}
