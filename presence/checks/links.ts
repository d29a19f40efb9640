/**
 * Broken links, sampled: up to LINK_SAMPLE distinct links of the homepage (the site's own first,
 * then others), each asked with HEAD (GET when the server refuses HEAD), in parallel. A link
 * answering 4xx/5xx or not answering at all is broken; one the platform may not reach (an
 * internal address) is left out and said so.
 */
import { checkResultOf } from '../../core/presence/rubric';
import type { FetchedPage } from '../site';
import { resolveLink } from '../site';
import { readable } from './common';
import type { CheckModule } from './types';

export const LINK_SAMPLE = 20;
/** A share of broken links up to this is a warning; above it, a failure. */
export const BROKEN_WARN_SHARE = 0.1;

const broken = (r: FetchedPage) => r.errorKind !== 'refused' && (r.status === null || r.status >= 400);

export const linksModule: CheckModule = {
  id: 'links',
  phase: 1,
  checks: ['brokenLinks'],
  async run(ctx) {
    const doc = readable(await ctx.site.home(), ['brokenLinks']);
    if ('failed' in doc) return { checks: doc.failed, sources: ['website'] };
    const { $, base } = doc;
    const all = [...new Set($('a[href]').toArray().flatMap((el) => resolveLink($(el).attr('href'), base)?.toString() ?? []))].filter((u) => u !== base.toString());
    const own = all.filter((u) => new URL(u).host === base.host);
    const sample = [...own, ...all.filter((u) => new URL(u).host !== base.host)].slice(0, LINK_SAMPLE);
    const answers = await Promise.all(
      sample.map(async (url) => {
        const head = await ctx.site.fetch(url, { method: 'HEAD', timeoutMs: 5000 });
        return head.status === 405 || head.status === 501 ? ctx.site.fetch(url, { timeoutMs: 5000, maxBytes: 256 * 1024 }) : head;
      }),
    );
    const bad = answers.filter(broken);
    const refused = answers.filter((a) => a.errorKind === 'refused');
    const checked = answers.length - refused.length;
    const share = checked ? bad.length / checked : 0;
    const status = bad.length === 0 ? 'pass' : share <= BROKEN_WARN_SHARE ? 'warn' : 'fail';
    return {
      checks: [
        checkResultOf('brokenLinks', {
          status,
          summary: checked === 0 ? 'The homepage has no links to check.' : bad.length ? `${bad.length} of ${checked} sampled links are broken.` : `All ${checked} sampled links answer.`,
          evidence: [
            { label: 'links on the homepage', value: String(all.length) },
            { label: 'sampled', value: String(checked) },
            ...bad.map((b) => ({ label: 'broken', value: `${b.requestedUrl} → ${b.error ?? `HTTP ${b.status}`}` })),
            ...(refused.length ? [{ label: 'not checked (internal address)', value: refused.map((r) => r.requestedUrl).join(', ') }] : []),
          ],
          recommendation: { title: 'Fix broken links', action: `Fix or remove these links: ${bad.map((b) => `${b.requestedUrl} (${b.error ?? `HTTP ${b.status}`})`).join('; ')}.` },
        }),
      ],
      sources: ['website'],
    };
  },
};
