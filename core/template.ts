/**
 * `{{variable}}` placeholders in chat texts, rendered with mustache. HTML escaping is off (these
 * are chat messages, not HTML); objects render as JSON; a missing variable renders empty.
 */
import Mustache from 'mustache';

const noEscape = (value: unknown): string => (value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value));

export function renderTemplate(text: string, variables: Record<string, unknown>): string {
  if (!text.includes('{{')) return text;
  return Mustache.render(text, variables, undefined, { escape: noEscape });
}

/** Null when the template parses, else the reason (e.g. an unclosed section). */
export function parseTemplate(text: string): string | null {
  try {
    Mustache.parse(text);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
