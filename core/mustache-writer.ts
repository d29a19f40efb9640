/**
 * The mustache writer every template renders with (`template.ts`, `url-template.ts`). Not
 * mustache's default writer: its template cache is reachable from mustache's exports, and the
 * worker evaluates workflow code's modules once per workflow thread and deep-freezes what they
 * export (worker/create.ts), so that cache, frozen, failed every render. This writer is private to
 * the module, and its cache bounded: templates come from published flows, so the same few are
 * parsed again and again, by every run on the thread.
 */
import Mustache from 'mustache';
import { BoundedMap } from './bounded-map';

const writer = new Mustache.Writer();
// Parsed templates by source: a Map has the cache's get, set and clear.
(writer as Mustache.Writer & { templateCache: Mustache.TemplateCache }).templateCache = new BoundedMap<string, string>(500);

/** `Mustache.render` on this writer. */
export function renderMustache(template: string, view: unknown, options: Mustache.RenderOptions): string {
  return writer.render(template, view, undefined, options);
}

/** `Mustache.parse` on this writer: throws on a template that does not parse. */
export function parseMustache(template: string): void {
  writer.parse(template);
}
