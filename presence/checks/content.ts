/**
 * What a guest comes for: a menu they can read as text (a page with prices, not only a PDF or a
 * photo), and links to order online and to reserve. Menu links are followed (a 404 menu link
 * fails the check and says so); ordering and reservation links are recognised by the platform
 * they point to (measured) or, failing that, by their wording (inferred).
 */
import type { CheerioAPI } from 'cheerio/slim';
import { load } from 'cheerio/slim';
import { checkResultOf } from '../../core/presence/rubric';
import type { CheckResult } from '../../core/presence/types';
import { resolveLink } from '../site';
import { readable } from './common';
import { readJsonLd, str } from './jsonld';
import type { CheckModule } from './types';

export const MENU_WORDS = /\b(menus?|carte|speisekarte|men[uú]|food|drinks)\b/i;
/** A price as menus write them: $12, 12.50 €, £9, 14,00 EUR. */
const PRICE = /(?:[$€£]\s?\d{1,4}(?:[.,]\d{2})?(?!\d)|\b\d{1,4}[.,]\d{2}\s?(?:€|\$|£|eur\b|usd\b|gbp\b|kr\b|chf\b))/gi;
/** A page with at least this many prices is a menu in text. */
export const MENU_MIN_PRICES = 5;
const MAX_MENU_LINKS = 3;

export const ORDER_HOSTS = ['doordash.com', 'ubereats.com', 'grubhub.com', 'toasttab.com', 'order.online', 'chownow.com', 'slicelife.com', 'deliveroo.', 'just-eat.', 'justeat.', 'seamless.com', 'postmates.com', 'olo.com', 'square.site', 'clover.com', 'lieferando.', 'thuisbezorgd.nl', 'wolt.com', 'foodpanda.', 'menufy.com', 'beyondmenu.com', 'gloriafood.com'];
export const RESERVE_HOSTS = ['opentable.', 'resy.com', 'exploretock.com', 'tock.com', 'sevenrooms.com', 'yelp.com/reservations', 'quandoo.', 'thefork.', 'bookatable.', 'tablein.com', 'resdiary.com', 'tablecheck.com', 'covermanager.com', 'zenchef.com', 'formitable.com'];
const ORDER_WORDS = /\b(order (online|now|food|here)|online order(ing)?|order for (pickup|delivery)|takeaway|take-?out|delivery)\b/i;
const RESERVE_WORDS = /\b(reserv(e|ation|ations)|book a table|book now|book online|table booking)\b/i;

export const countPrices = (text: string) => (text.match(PRICE) ?? []).length;
const textOf = ($: CheerioAPI) => $('body').text().replace(/\s+/g, ' ');

interface Anchor {
  text: string;
  url: URL;
}

function anchors($: CheerioAPI, base: URL): Anchor[] {
  return $('a[href]')
    .toArray()
    .flatMap((el) => {
      const url = resolveLink($(el).attr('href'), base);
      const text = `${$(el).text()} ${$(el).attr('aria-label') ?? ''} ${$(el).attr('title') ?? ''}`.replace(/\s+/g, ' ').trim();
      return url ? [{ text, url }] : [];
    });
}

const onHosts = (url: URL, hosts: readonly string[]) => hosts.some((h) => `${url.hostname}${url.pathname}`.toLowerCase().includes(h));

async function menuCheck(ctx: Parameters<CheckModule['run']>[0], $: CheerioAPI, base: URL): Promise<CheckResult> {
  const onHome = countPrices(textOf($));
  if (onHome >= MENU_MIN_PRICES) return checkResultOf('menu.text', { status: 'pass', summary: `The homepage shows the menu as text (${onHome} prices).`, inferred: true, evidence: [{ label: 'prices on the homepage', value: String(onHome) }] });
  const hasMenu = readJsonLd($).business;
  const fromJsonLd = hasMenu ? (str(hasMenu.hasMenu) ?? str(hasMenu.menu)) : undefined;
  const links = [...(fromJsonLd ? [resolveLink(fromJsonLd, base)].filter((u): u is URL => u !== null) : []), ...anchors($, base).filter((a) => MENU_WORDS.test(a.text) || MENU_WORDS.test(a.url.pathname)).map((a) => a.url)];
  const distinct = [...new Map(links.filter((u) => u.toString() !== base.toString()).map((u) => [u.toString(), u])).values()].slice(0, MAX_MENU_LINKS);
  const evidence: { label: string; value: string }[] = [];
  const kinds: string[] = [];
  for (const url of distinct) {
    if (/\.pdf$/i.test(url.pathname)) {
      const head = await ctx.site.fetch(url.toString(), { method: 'HEAD', timeoutMs: 5000 });
      const kind = head.status !== null && head.status < 400 ? 'pdf' : 'broken';
      kinds.push(kind);
      evidence.push({ label: url.toString(), value: kind === 'pdf' ? 'a PDF' : `broken (${head.error ?? `HTTP ${head.status}`})` });
      continue;
    }
    const page = await ctx.site.fetch(url.toString(), { timeoutMs: 6000 });
    const type = page.headers['content-type'] ?? '';
    if (page.status === null || page.status >= 400) {
      kinds.push('broken');
      evidence.push({ label: url.toString(), value: `broken (${page.error ?? `HTTP ${page.status}`})` });
    } else if (/pdf/i.test(type)) {
      kinds.push('pdf');
      evidence.push({ label: url.toString(), value: 'a PDF' });
    } else if (/^image\//i.test(type)) {
      kinds.push('image');
      evidence.push({ label: url.toString(), value: 'an image' });
    } else {
      const doc = /html/i.test(type) ? load(page.body) : null;
      const prices = doc ? countPrices(textOf(doc)) : 0;
      const images = doc ? doc('img').length : 0;
      kinds.push(prices >= MENU_MIN_PRICES ? 'text' : images > 0 ? 'image' : 'none');
      evidence.push({ label: url.toString(), value: `a page with ${prices} prices${images ? ` and ${images} images` : ''}` });
      if (prices >= MENU_MIN_PRICES) return checkResultOf('menu.text', { status: 'pass', summary: `The menu is a page of text (${prices} prices at ${url.pathname}).`, inferred: true, evidence });
    }
  }
  const asText = { title: 'Publish your menu as text', snippetLanguage: 'html' as const };
  const sample = '<section id="menu">\n  <h2>Menu</h2>\n  <h3>Starters</h3>\n  <ul>\n    <li><strong>Dish name</strong> — short description <span>$9</span></li>\n  </ul>\n</section>';
  if (kinds.includes('pdf') || kinds.includes('image')) {
    return checkResultOf('menu.text', {
      status: 'warn',
      summary: `The menu is only ${kinds.includes('pdf') ? 'a PDF' : 'an image'}: phones zoom and pinch, and search engines and screen readers cannot read the dishes.`,
      evidence,
      inferred: true,
      recommendation: { ...asText, action: 'Keep the PDF if you like, and also publish the menu as an HTML page with each dish and price as text.', snippet: sample },
    });
  }
  if (kinds.includes('broken')) {
    return checkResultOf('menu.text', {
      status: 'fail',
      summary: 'The menu link is broken: guests who click it find no menu.',
      evidence,
      recommendation: { ...asText, action: `Fix the menu link (${evidence.find((e) => e.value.startsWith('broken'))!.label}) so it opens a page with your dishes and prices as text.`, snippet: sample },
    });
  }
  return checkResultOf('menu.text', {
    status: 'fail',
    summary: distinct.length ? 'No menu in text was found behind the menu links.' : 'No menu was found: no menu link and no prices on the homepage.',
    evidence: evidence.length ? evidence : [{ label: 'menu links', value: '0' }, { label: 'prices on the homepage', value: String(onHome) }],
    inferred: true,
    recommendation: { ...asText, action: 'Add a Menu page linked from your homepage\'s navigation, with each dish and its price as text.', snippet: sample },
  });
}

function linkCheck(id: 'ordering' | 'reservations', links: Anchor[], hosts: readonly string[], words: RegExp): CheckResult {
  const byHost = links.find((a) => onHosts(a.url, hosts));
  const byWords = links.find((a) => words.test(a.text));
  const what = id === 'ordering' ? 'online ordering' : 'reservations';
  if (byHost) return checkResultOf(id, { status: 'pass', summary: `The homepage links to ${what} on ${byHost.url.hostname}.`, evidence: [{ label: 'link', value: byHost.url.toString() }] });
  if (byWords) return checkResultOf(id, { status: 'pass', summary: `The homepage has a link for ${what} ("${byWords.text.slice(0, 60)}").`, inferred: true, evidence: [{ label: 'link', value: byWords.url.toString() }, { label: 'text', value: byWords.text.slice(0, 100) }] });
  const snippet = id === 'ordering' ? '<a href="https://YOUR-ORDERING-PAGE" class="button">Order online</a>' : '<a href="https://YOUR-RESERVATION-PAGE" class="button">Book a table</a>';
  return checkResultOf(id, {
    status: 'fail',
    summary: `No link for ${what} was found on the homepage.`,
    inferred: true,
    evidence: [{ label: 'links looked at', value: String(links.length) }],
    recommendation: {
      title: id === 'ordering' ? 'Link to online ordering' : 'Link to reservations',
      action: id === 'ordering' ? 'Put an "Order online" button near the top of your homepage, pointing at your ordering page (your own, or Toast, ChowNow, DoorDash…); replace the address in the snippet with it.' : 'Put a "Book a table" button near the top of your homepage, pointing at your booking page (OpenTable, Resy, Tock or your own); replace the address in the snippet with it.',
      snippet,
      snippetLanguage: 'html',
    },
  });
}

const CHECKS = ['menu.text', 'ordering', 'reservations'] as const;

export const contentModule: CheckModule = {
  id: 'content',
  phase: 1,
  checks: CHECKS,
  async run(ctx) {
    const doc = readable(await ctx.site.home(), CHECKS);
    if ('failed' in doc) return { checks: doc.failed, sources: ['website'] };
    const links = anchors(doc.$, doc.base);
    return {
      checks: [await menuCheck(ctx, doc.$, doc.base), linkCheck('ordering', links, ORDER_HOSTS, ORDER_WORDS), linkCheck('reservations', links, RESERVE_HOSTS, RESERVE_WORDS)],
      sources: ['website'],
    };
  },
};
