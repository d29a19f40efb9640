/**
 * `{{variable}}` placeholders in chat texts, rendered with mustache. HTML escaping is off (these
 * are chat messages, not HTML); objects render as JSON; a missing variable renders empty.
 */
import Mustache from 'mustache';
import { parseMustache, renderMustache } from './mustache-writer';

const noEscape = (value: unknown): string => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * Names resolve to the variables' own properties only. Mustache's own lookup also finds inherited
 * ones (`{{constructor}}`, `{{valueOf}}` rendered the whole variable set) and caches hits on a
 * plain object it then calls `.hasOwnProperty` on, so a variable named `hasOwnProperty` made
 * every later placeholder of the template throw.
 */
class OwnPropertyContext extends Mustache.Context {
  override push(view: unknown): Mustache.Context {
    return new OwnPropertyContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === '.') return this.view;
    const path = name.split('.');
    for (let context: Mustache.Context | undefined = this; context; context = context.parent) {
      // Like mustache: a plain name is looked up on objects, a dotted path may end on a primitive (`{{name.length}}`).
      if (path.length === 1 && (context.view === null || typeof context.view !== 'object')) continue;
      const hit = ownPath(context.view, path);
      if (hit) return hit.value;
    }
    return undefined;
  }
}

function ownPath(view: unknown, path: string[]): { value: unknown } | null {
  let value = view;
  for (const key of path) {
    if (value === null || value === undefined || !Object.hasOwn(Object(value), key)) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return { value };
}

export function renderTemplate(text: string, variables: Record<string, unknown>): string {
  if (!text.includes('{{')) return text;
  return renderMustache(text, new OwnPropertyContext(variables), { escape: noEscape });
}

/** Null when the template parses, else the reason (e.g. an unclosed section). */
export function parseTemplate(text: string): string | null {
  try {
    parseMustache(text);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
