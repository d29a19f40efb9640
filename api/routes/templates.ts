/** What the builder starts from: flow templates and the node catalogue (also importable from core/nodes). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../core/api/common';
import { flowTemplateList, nodeCatalogueItem } from '../../core/api/flow-tools';
import { AppError } from '../../core/errors';
import { graphSchema, type Graph } from '../../core/graph/schema';
import { NODE_CATALOGUE } from '../../core/nodes';
import { FLOW_TEMPLATES, flowTemplate } from '../../core/templates';

/** The template's graph with defaults applied, as a new flow's draft; unknown ids are a 400. */
export function templateGraph(templateId: string): Graph {
  const template = flowTemplate(templateId);
  if (!template) throw new AppError('bad_request', `no template '${templateId}' (see GET /v1/flow-templates)`, { field: 'templateId' });
  return graphSchema.parse(template.graph);
}

/** Computed once: the catalogue is code. */
const catalogue = NODE_CATALOGUE.map((def) => ({
  type: def.type,
  label: def.label,
  category: def.category,
  description: def.description,
  help: (def as { help?: string }).help ?? null,
  outputs: [...def.outputs],
  waitsForInput: def.waitsForInput ?? false,
  dataSchema: z.toJSONSchema(def.data, { io: 'input', unrepresentable: 'any' }),
}));

export const templateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/flow-templates',
    { schema: { tags: ['flows'], summary: 'Flow templates (create one with POST /v1/flows {name, templateId})', response: { 200: flowTemplateList, ...errorResponses } } },
    async () => ({ items: FLOW_TEMPLATES.map((t) => ({ id: t.id, name: t.name, description: t.description, graph: graphSchema.parse(t.graph) })) }),
  );

  app.get(
    '/v1/node-catalogue',
    { schema: { tags: ['flows'], summary: 'Every node type: label, category, outputs and the JSON Schema of its data', response: { 200: z.object({ items: z.array(nodeCatalogueItem) }), ...errorResponses } } },
    async () => ({ items: catalogue }),
  );
};
