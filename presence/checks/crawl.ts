/**
 * What crawlers read before the page: robots.txt (present, and not shutting search engines out of
 * the homepage, read with robots-parser) and a sitemap (named in robots.txt, or at /sitemap.xml),
 * counted by its `<loc>` entries.
 */
import robotsParser from 'robots-parser';
import { checkResultOf } from '../../core/presence/rubric';
import type { CheckResult } from '../../core/presence/types';
import { unreadable } from './common';
import type { CheckModule } from './types';

const SITEMAP_BODY = /<(urlset|sitemapindex)\b/i;

export const crawlModule: CheckModule = {
  id: 'crawl',
  phase: 1,
  checks: ['robots', 'sitemap'],
  async run(ctx) {
    const home = await ctx.site.home();
    // A site that does not answer has no robots.txt or sitemap a crawler could read either.
    if (home.page.status === null) return { checks: unreadable(['robots', 'sitemap'], home.page), sources: ['website'] };
    const base = home.base ?? new URL(ctx.url);
    const robotsUrl = new URL('/robots.txt', base).toString();
    const robots = await ctx.site.fetch(robotsUrl, { timeoutMs: 5000, maxBytes: 512 * 1024 });
    const checks: CheckResult[] = [];
    const isText = robots.status === 200 && !/html/i.test(robots.headers['content-type'] ?? '');
    const parsed = isText ? robotsParser(robotsUrl, robots.body) : null;
    const sitemapsNamed = parsed?.getSitemaps() ?? [];
    const robotsSnippet = `User-agent: *\nAllow: /\n\nSitemap: ${new URL('/sitemap.xml', base)}`;
    if (!parsed) {
      checks.push(
        checkResultOf('robots', {
          status: 'warn',
          summary: `There is no robots.txt (${robots.error ?? `HTTP ${robots.status}`}): crawlers may go everywhere, but cannot find the sitemap from it.`,
          evidence: [{ label: robotsUrl, value: robots.error ?? `HTTP ${robots.status}` }],
          recommendation: { title: 'Add a robots.txt', action: 'Upload this file as /robots.txt at the root of your site.', snippet: robotsSnippet, snippetLanguage: 'text' },
        }),
      );
    } else {
      const allowed = parsed.isAllowed(base.toString(), 'Googlebot') !== false && parsed.isAllowed(base.toString(), '*') !== false;
      checks.push(
        checkResultOf('robots', {
          status: allowed ? 'pass' : 'fail',
          summary: allowed ? 'robots.txt lets search engines in.' : 'robots.txt shuts search engines out of the homepage: it will not appear in search results.',
          evidence: [
            { label: robotsUrl, value: `HTTP 200, ${robots.bytes} bytes` },
            { label: 'homepage allowed', value: allowed ? 'yes' : 'no' },
            { label: 'sitemaps named', value: sitemapsNamed.join(', ') || 'none' },
          ],
          recommendation: { title: 'Let search engines in', action: 'Remove the `Disallow: /` rule from robots.txt (it keeps the whole site out of Google).', snippet: robotsSnippet, snippetLanguage: 'text' },
        }),
      );
    }
    const candidates = [...new Set([...sitemapsNamed, new URL('/sitemap.xml', base).toString(), new URL('/sitemap_index.xml', base).toString()])].slice(0, 3);
    let found: { url: string; entries: number } | null = null;
    const tried: { label: string; value: string }[] = [];
    for (const url of candidates) {
      const res = await ctx.site.fetch(url, { timeoutMs: 5000 });
      tried.push({ label: url, value: res.error ?? `HTTP ${res.status}` });
      if (res.status === 200 && SITEMAP_BODY.test(res.body)) {
        found = { url, entries: (res.body.match(/<loc>/gi) ?? []).length };
        break;
      }
    }
    checks.push(
      found
        ? checkResultOf('sitemap', { status: 'pass', summary: `A sitemap lists ${found.entries} address${found.entries === 1 ? '' : 'es'}.`, evidence: [{ label: 'sitemap', value: found.url }, { label: 'entries', value: String(found.entries) }] })
        : checkResultOf('sitemap', {
            status: 'fail',
            summary: 'No sitemap was found: search engines find new pages (a new menu, an event) later.',
            evidence: tried,
            recommendation: {
              title: 'Publish a sitemap',
              action: 'Publish /sitemap.xml listing your pages (most site builders have a switch for it) and name it in robots.txt.',
              snippet: `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n  <url><loc>${base.origin}/</loc></url>\n  <url><loc>${base.origin}/menu</loc></url>\n</urlset>`,
              snippetLanguage: 'text',
            },
          }),
    );
    return { checks, sources: ['website'] };
  },
};
