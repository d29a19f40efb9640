/** The builder's JSON export format: `{name, description, graph}`; a bare graph imports too. */
import { graphSchema, type GraphInput } from '../../../core/graph/schema';

export interface FlowFile {
  format: 'switchboard.flow';
  version: 1;
  name: string;
  description?: string;
  graph: GraphInput;
}

export function parseFlowFile(text: string, fileName: string): { name: string; description?: string; graph: GraphInput } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('the file is not JSON');
  }
  const obj = (parsed ?? {}) as Partial<FlowFile> & { nodes?: unknown };
  const rawGraph = obj.graph ?? (obj.nodes ? parsed : undefined);
  if (!rawGraph) throw new Error('no graph in the file (expected {name, graph} or {nodes, edges})');
  const result = graphSchema.safeParse(rawGraph);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`the graph is not valid: ${issue.path.join('.')} ${issue.message}`);
  }
  const name = typeof obj.name === 'string' && obj.name.trim() ? obj.name.trim().slice(0, 200) : fileName.replace(/\.json$/i, '') || 'Imported flow';
  return { name, description: typeof obj.description === 'string' ? obj.description : undefined, graph: rawGraph as GraphInput };
}

export function downloadFlowFile(name: string, description: string | null, graph: GraphInput) {
  const file: FlowFile = { format: 'switchboard.flow', version: 1, name, ...(description ? { description } : {}), graph };
  const blob = new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '') || 'flow'}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
