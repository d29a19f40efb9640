/**
 * The mustache writer every template renders with (`template.ts`, `url-template.ts`). Not
 * mustache's default writer: its template cache is reachable from mustache's exports, and the
 * worker evaluates workflow code's modules once per workflow thread and deep-freezes what they
 * export (worker/create.ts), so that cache, frozen, failed every render. This writer is private to
 * the module, and its cache bounded: templates come from published flows, so the same few are
 * parsed again and again, by every run on the thread.
 */
import Mustache from 'mustache';

const CACHE_LIMIT = 500;

class BoundedTemplateCache implements Mustache.TemplateCache {
  private readonly entries = new Map<string, string>();

  set(key: string, value: string): void {
    if (this.entries.size >= CACHE_LIMIT && !this.entries.has(key)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

const writer = new Mustache.Writer();
(writer as Mustache.Writer & { templateCache: Mustache.TemplateCache }).templateCache = new BoundedTemplateCache();

/** `Mustache.render` on this writer. */
export function renderMustache(template: string, view: unknown, options: Mustache.RenderOptions): string {
  return writer.render(template, view, undefined, options);
}

/** `Mustache.parse` on this writer: throws on a template that does not parse. */
export function parseMustache(template: string): void {
  writer.parse(template);
}
