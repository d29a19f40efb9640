/** Helpers the website check modules share: the homepage or a failure for every check that reads it, sizes and times as evidence. */
import type { CheerioAPI } from 'cheerio/slim';
import { checkResultOf } from '../../core/presence/rubric';
import type { CheckResult } from '../../core/presence/types';
import type { FetchedPage, HomePage } from '../site';

export const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`);

/** A page that could not be read loses the checks that read it: a visitor or a crawler cannot see it either. */
export function unreadable(ids: readonly string[], page: FetchedPage): CheckResult[] {
  const why = page.error ?? (page.status !== null && page.status >= 400 ? `HTTP ${page.status}` : 'the answer is not an HTML page');
  return ids.map((id) =>
    checkResultOf(id, {
      status: 'fail',
      summary: `The homepage could not be read (${why}), so this could not be found on it.`,
      evidence: [
        { label: 'homepage', value: page.requestedUrl },
        { label: 'result', value: why },
      ],
    }),
  );
}

/** The homepage's document, or null with the checks failed for `ids` when it could not be read. */
export function readable(home: HomePage, ids: readonly string[]): { $: CheerioAPI; base: URL } | { failed: CheckResult[] } {
  if (home.$ && home.base && home.page.status !== null && home.page.status < 400) return { $: home.$, base: home.base };
  return { failed: unreadable(ids, home.page) };
}

/** `<meta name=…>` or `<meta property=…>` content, trimmed; '' when absent. */
export const metaContent = ($: CheerioAPI, key: string) => ($(`meta[name="${key}" i], meta[property="${key}" i]`).first().attr('content') ?? '').trim();

export const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
