/**
 * What the homepage's <head> tells browsers, search engines and link previews: the title, the
 * meta description, Open Graph tags, the mobile viewport, a favicon that loads, and an analytics
 * tag (recognised by the script it loads: inferred from markup, not from traffic).
 */
import type { CheerioAPI } from 'cheerio/slim';
import { checkResultOf } from '../../core/presence/rubric';
import type { CheckResult } from '../../core/presence/types';
import { resolveLink } from '../site';
import { escapeHtml, metaContent, readable } from './common';
import { pageFacts } from './structured-data';
import type { CheckModule } from './types';

export const TITLE_RANGE = [10, 70] as const;
export const DESCRIPTION_RANGE = [50, 160] as const;

/** Analytics and tag managers, by what their snippet loads or calls. */
export const ANALYTICS: readonly [string, RegExp][] = [
  ['Google Tag Manager', /googletagmanager\.com\/gtm\.js|GTM-[A-Z0-9]{4,}/],
  ['Google Analytics', /googletagmanager\.com\/gtag\/js|google-analytics\.com\/(analytics|ga)\.js|\bgtag\(\s*['"]config['"]/],
  ['Meta Pixel', /connect\.facebook\.net\/[^"']*\/fbevents\.js|\bfbq\(\s*['"]init['"]/],
  ['Plausible', /plausible\.io\/js\//],
  ['Fathom', /cdn\.usefathom\.com/],
  ['Matomo', /matomo\.js|piwik\.js|_paq\.push/],
  ['Cloudflare Web Analytics', /static\.cloudflareinsights\.com\/beacon/],
  ['Umami', /umami\.[a-z]+\/script\.js|data-website-id=/],
  ['Microsoft Clarity', /clarity\.ms\/tag/],
  ['Hotjar', /static\.hotjar\.com/],
  ['Segment', /cdn\.segment\.com\/analytics\.js/],
];

function lengthCheck(id: 'title' | 'metaDescription', value: string, [min, max]: readonly [number, number], snippet: string): CheckResult {
  const what = id === 'title' ? 'title' : 'meta description';
  const recommendation = { title: id === 'title' ? 'Write a descriptive page title' : 'Write a meta description', action: id === 'title' ? `Give the homepage a title of ${min}–${max} characters naming the restaurant, its cuisine and its town.` : `Describe the restaurant in ${min}–${max} characters: what it serves, where, and what to do (book, order). Search results show it under the title.`, snippet, snippetLanguage: 'html' as const };
  if (!value) return checkResultOf(id, { status: 'fail', summary: `The homepage has no ${what}.`, evidence: [{ label: what, value: 'missing' }], recommendation });
  const ok = value.length >= min && value.length <= max;
  return checkResultOf(id, {
    status: ok ? 'pass' : 'warn',
    summary: ok ? `The ${what} is ${value.length} characters.` : `The ${what} is ${value.length} characters; ${min}–${max} reads best in search results.`,
    evidence: [
      { label: what, value: value.slice(0, 300) },
      { label: 'length', value: String(value.length) },
    ],
    recommendation,
  });
}

function openGraphCheck($: CheerioAPI, name: string, description: string, base: URL): CheckResult {
  const tags = ['og:title', 'og:description', 'og:image'].map((t) => [t, metaContent($, t)] as const);
  const present = tags.filter(([, v]) => v);
  const missing = tags.filter(([, v]) => !v).map(([t]) => t);
  const image = $('img[src]').first().attr('src');
  const values: Record<string, string> = { 'og:title': name, 'og:description': description || `${name}: menu, hours and reservations.`, 'og:image': (image && resolveLink(image, base)?.toString()) || new URL('/og-image.jpg', base).toString() };
  const snippet = missing.map((t) => `<meta property="${t}" content="${escapeHtml(values[t]!)}">`).join('\n');
  return checkResultOf('openGraph', {
    status: missing.length === 0 ? 'pass' : present.length ? 'warn' : 'fail',
    summary: missing.length === 0 ? 'Links to the site preview with a title, description and image.' : `Links shared on social media and messengers miss ${missing.join(', ')}.`,
    evidence: tags.map(([t, v]) => ({ label: t, value: v || 'missing' })),
    recommendation: { title: 'Add Open Graph tags', action: `Add ${missing.join(', ')} to the homepage's <head>${missing.includes('og:image') ? ' (an image of at least 1200×630 pixels: a dish or the dining room)' : ''}.`, snippet, snippetLanguage: 'html' },
  });
}

function viewportCheck($: CheerioAPI): CheckResult {
  const content = metaContent($, 'viewport');
  const recommendation = { title: 'Add a mobile viewport', action: 'Add this tag to the <head> so phones show the page at their width (and let guests zoom).', snippet: '<meta name="viewport" content="width=device-width, initial-scale=1">', snippetLanguage: 'html' as const };
  if (!content) return checkResultOf('mobileViewport', { status: 'fail', summary: 'No viewport tag: phones show a shrunken desktop page.', evidence: [{ label: 'viewport', value: 'missing' }], recommendation });
  const deviceWidth = /width\s*=\s*device-width/i.test(content);
  const noZoom = /user-scalable\s*=\s*(no|0)|maximum-scale\s*=\s*1(\.0)?\b/i.test(content);
  return checkResultOf('mobileViewport', {
    status: deviceWidth && !noZoom ? 'pass' : 'warn',
    summary: !deviceWidth ? 'The viewport tag does not use the device width.' : noZoom ? 'The viewport stops guests from zooming (hard on small print and poor eyesight).' : 'The page sets a mobile viewport.',
    evidence: [{ label: 'viewport', value: content }],
    recommendation,
  });
}

async function faviconCheck(ctx: Parameters<CheckModule['run']>[0], $: CheerioAPI, base: URL): Promise<CheckResult> {
  const declared = $('link[rel~="icon" i][href], link[rel="shortcut icon" i][href], link[rel="apple-touch-icon" i][href]').first().attr('href');
  const url = (declared && resolveLink(declared, base)) || new URL('/favicon.ico', base);
  const res = await ctx.site.fetch(url.toString(), { timeoutMs: 5000, maxBytes: 1024 * 1024 });
  const type = res.headers['content-type'] ?? '';
  const ok = res.status !== null && res.status < 400 && res.bytes > 0 && !/html/i.test(type);
  return checkResultOf('favicon', {
    status: ok ? 'pass' : 'fail',
    summary: ok ? 'The site has a favicon.' : `No favicon loads (${declared ? 'the declared icon' : '/favicon.ico'}: ${res.error ?? `HTTP ${res.status}${/html/i.test(type) ? ', an HTML page' : ''}`}).`,
    evidence: [
      { label: 'icon', value: url.toString() },
      { label: 'answer', value: res.error ?? `HTTP ${res.status}, ${type || 'no type'}, ${res.bytes} bytes` },
    ],
    recommendation: { title: 'Add a favicon', action: 'Make a square icon of your logo (at least 180×180 pixels), upload it, and declare it in the <head>.', snippet: '<link rel="icon" href="/favicon.png" type="image/png">\n<link rel="apple-touch-icon" href="/apple-touch-icon.png">', snippetLanguage: 'html' },
  });
}

function analyticsCheck($: CheerioAPI): CheckResult {
  const scripts = $('script')
    .toArray()
    .map((el) => `${$(el).attr('src') ?? ''} ${$(el).attr('data-website-id') !== undefined ? 'data-website-id=' : ''} ${$(el).text()}`)
    .join('\n');
  const found = ANALYTICS.filter(([, re]) => re.test(scripts)).map(([name]) => name);
  return checkResultOf('analytics', {
    status: found.length ? 'pass' : 'fail',
    summary: found.length ? `The page loads ${found.join(', ')}.` : 'No analytics tag was found: you cannot tell how many people visit or where they come from.',
    inferred: true,
    evidence: [{ label: 'analytics', value: found.join(', ') || 'none found in the page’s scripts' }],
    recommendation: { title: 'Add an analytics tag', action: 'Add a privacy-friendly analytics tag (Plausible, Fathom, or Google Analytics with consent) to see visits, and which links guests click to book or order.', snippet: '<script defer data-domain="YOUR-DOMAIN" src="https://plausible.io/js/script.js"></script>', snippetLanguage: 'html' },
  });
}

const CHECKS = ['title', 'metaDescription', 'openGraph', 'mobileViewport', 'favicon', 'analytics'] as const;

export const pageModule: CheckModule = {
  id: 'page',
  phase: 1,
  checks: CHECKS,
  async run(ctx) {
    const doc = readable(await ctx.site.home(), CHECKS);
    if ('failed' in doc) return { checks: doc.failed, sources: ['website'] };
    const { $, base } = doc;
    const facts = pageFacts($, base);
    const title = $('title').first().text().replace(/\s+/g, ' ').trim();
    const description = metaContent($, 'description');
    const town = facts.address?.split(',').at(-1)?.trim();
    return {
      checks: [
        lengthCheck('title', title, TITLE_RANGE, `<title>${escapeHtml(`${facts.name}${town ? ` — Restaurant in ${town}` : ' — Menu, Hours & Reservations'}`)}</title>`),
        lengthCheck('metaDescription', description, DESCRIPTION_RANGE, `<meta name="description" content="${escapeHtml(`${facts.name}${town ? ` in ${town}` : ''}: see the menu, opening hours, and book a table or order online.`)}">`),
        openGraphCheck($, title || facts.name, description, base),
        viewportCheck($),
        await faviconCheck(ctx, $, base),
        analyticsCheck($),
      ],
      sources: ['website'],
    };
  },
};
