/**
 * An httpRequest node's response mapping: one JSONata expression per variable. A builder writes
 * them and they run on the worker's event loop, so each has limits: a deadline shared by the
 * node's expressions and a depth limit (JSONata's own guardrails, checked at every evaluation
 * step, which throw D1012 / D1011), and regexes on RE2, which runs in linear time: a regex match
 * is one native call that no step check could interrupt. A runaway expression fails the node (its
 * `error` edge) and is not retried.
 *
 * Why not a worker thread with a timeout: it would also stop a runaway built-in, but costs a
 * thread start (or a pool to manage) on every mapped response, for expressions that evaluate in
 * microseconds; with regexes on RE2 and the response capped at 1 MB, what remains between two
 * step checks is bounded.
 */
import jsonata from 'jsonata';
import { RE2JS } from 're2js';

/** All of one node's mappings together. */
export const MAPPING_DEADLINE_MS = 1_000;
export const MAPPING_MAX_DEPTH = 300;

/** The RegExp surface JSONata uses (`lastIndex`, `exec`), over RE2. */
class Re2RegExp {
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(pattern: RegExp) {
    const flags = (pattern.flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (pattern.flags.includes('m') ? RE2JS.MULTILINE : 0);
    this.re = RE2JS.compile(pattern.source, flags);
  }

  exec(input: string): RegExpExecArray | null {
    const m = this.re.matcher(input);
    if (this.lastIndex > input.length || !m.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: (string | undefined)[] = [];
    for (let i = 0; i <= m.groupCount(); i++) groups.push(m.group(i) ?? undefined);
    this.lastIndex = m.end();
    return Object.assign(groups, { index: m.start(), input }) as unknown as RegExpExecArray;
  }
}

export type MappingResult = { ok: true; variables: Record<string, unknown> } | { ok: false; error: string };

export async function evaluateMappings(mapping: Record<string, string>, scope: unknown): Promise<MappingResult> {
  const deadline = Date.now() + MAPPING_DEADLINE_MS;
  const variables: Record<string, unknown> = {};
  for (const [name, expression] of Object.entries(mapping)) {
    try {
      const timeout = Math.max(1, deadline - Date.now());
      const compiled = jsonata(expression, { RegexEngine: Re2RegExp as unknown as RegExpConstructor, timeout, stack: MAPPING_MAX_DEPTH });
      const value = await compiled.evaluate(scope);
      // JSONata sequences carry extra markers; a JSON round trip keeps workflow state plain.
      variables[name] = value === undefined ? null : JSON.parse(JSON.stringify(value));
    } catch (err) {
      return { ok: false, error: `mapping "${name}" failed: ${reason(err)}` };
    }
  }
  return { ok: true, variables };
}

function reason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'D1012') return `it ran longer than ${MAPPING_DEADLINE_MS} ms`;
  if (code === 'D1011') return `it nested deeper than ${MAPPING_MAX_DEPTH} levels`;
  return (err as Error).message ?? String(err);
}
