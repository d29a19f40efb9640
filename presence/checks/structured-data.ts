/**
 * schema.org `Restaurant` / `LocalBusiness` JSON-LD: whether the homepage has it and which of the
 * fields search engines read for a local business it fills (name, address, telephone, opening
 * hours, menu, price range, acceptsReservations, geo). Recommendations carry the JSON to paste,
 * built from what the page itself shows (its name, phone link, address, menu link, the hours in
 * its text). The business's facts as the JSON-LD states them go to the consistency checks.
 */
import type { CheerioAPI } from 'cheerio/slim';
import { fromOpeningHoursStrings, fromSpecification, fromText, toSpecification, type Hours } from '../../core/presence/hours';
import { checkResultOf } from '../../core/presence/rubric';
import type { BusinessFacts, CheckResult } from '../../core/presence/types';
import { resolveLink } from '../site';
import { readable } from './common';
import { addressLine, readJsonLd, str, type Node } from './jsonld';
import { MENU_WORDS } from './content';
import type { CheckModule } from './types';

const FIELDS = ['jsonld.name', 'jsonld.address', 'jsonld.phone', 'jsonld.openingHours', 'jsonld.menu', 'jsonld.priceRange', 'jsonld.acceptsReservations', 'jsonld.geo'] as const;
const CHECKS = ['jsonld.present', ...FIELDS] as const;

/** What the page shows outside its JSON-LD, for the snippets. */
export function pageFacts($: CheerioAPI, base: URL) {
  const title = $('title').first().text().trim();
  const name = ($('meta[property="og:site_name" i]').attr('content') ?? '').trim() || title.split(/\s+[|–—-]\s+/)[0]!.trim() || base.hostname;
  const phone = ($('a[href^="tel:" i]').first().attr('href') ?? '').slice(4).trim() || undefined;
  const address = $('address').first().text().replace(/\s+/g, ' ').trim() || undefined;
  const menuHref = $('a[href]')
    .toArray()
    .map((el) => ({ text: $(el).text(), href: $(el).attr('href') ?? '' }))
    .find((a) => MENU_WORDS.test(a.text) || MENU_WORDS.test(a.href));
  const menu = menuHref ? (resolveLink(menuHref.href, base)?.toString() ?? undefined) : undefined;
  const hours = fromText($('body').text().replace(/\s+/g, ' '));
  return { name, phone, address, menu, hours, origin: base.origin };
}

const json = (value: unknown) => JSON.stringify(value, null, 2);
const scriptTag = (value: unknown) => `<script type="application/ld+json">\n${json(value)}\n</script>`;

function hoursOf(node: Node): Hours[] {
  const spec = fromSpecification(node.openingHoursSpecification);
  if (spec.length) return spec;
  const strings = Array.isArray(node.openingHours) ? node.openingHours : [node.openingHours];
  return fromOpeningHoursStrings(strings.filter((s): s is string => typeof s === 'string'));
}

function fieldCheck(id: (typeof FIELDS)[number], node: Node, page: ReturnType<typeof pageFacts>, type: string): CheckResult {
  const field = (label: string, value: string | undefined, snippet: Record<string, unknown>, ok = value !== undefined, action = `Add this to the ${type} block in your homepage's JSON-LD.`) =>
    checkResultOf(id, {
      status: ok ? 'pass' : 'fail',
      summary: ok ? `The ${type} JSON-LD gives its ${label}.` : `The ${type} JSON-LD has no ${label}.`,
      evidence: [{ label, value: value ?? 'missing' }],
      recommendation: { title: `Add the ${label} to your JSON-LD`, action, snippet: json(snippet).slice(1, -1).trim(), snippetLanguage: 'json' },
    });
  switch (id) {
    case 'jsonld.name':
      return field('name', str(node.name), { name: page.name });
    case 'jsonld.address': {
      const line = addressLine(node.address);
      const structured = !!node.address && typeof node.address === 'object';
      const result = field('address', line, { address: { '@type': 'PostalAddress', streetAddress: page.address ?? line ?? '', addressLocality: '', postalCode: '', addressCountry: '' } }, undefined, `Add a PostalAddress to the ${type} block and fill in the locality, postal code and country.`);
      if (line && !structured) return checkResultOf(id, { ...result, status: 'warn', summary: 'The address is a plain string: search engines read a PostalAddress (street, locality, postal code, country) reliably.', recommendation: result.recommendation });
      return result;
    }
    case 'jsonld.phone':
      return field('telephone', str(node.telephone), { telephone: page.phone ?? '' });
    case 'jsonld.openingHours': {
      const hours = hoursOf(node);
      const fromPage = page.hours;
      const snippet = { openingHoursSpecification: toSpecification(fromPage.length ? fromPage : [{ days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], opens: '11:00', closes: '22:00' }]) };
      const result = field('opening hours', hours.length ? hours.map((h) => `${h.days.join(',')} ${h.opens}-${h.closes}`).join('; ') : undefined, snippet);
      if (!hours.length && result.recommendation) {
        result.recommendation.action = fromPage.length
          ? `Add \`openingHoursSpecification\` to your JSON-LD; here is the snippet for your hours as your page states them (${fromPage.map((h) => `${h.days.join(',')} ${h.opens}–${h.closes}`).join('; ')}).`
          : 'Add `openingHoursSpecification` to your JSON-LD. Your page does not state its hours in a form the audit could read: replace the days and times in this snippet with yours.';
      }
      return result;
    }
    case 'jsonld.menu': {
      const menu = str(node.hasMenu) ?? str(node.menu) ?? str((node.hasMenu as Node | undefined)?.url) ?? str((node.hasMenu as Node | undefined)?.['@id']);
      return field('menu', menu, { hasMenu: page.menu ?? `${new URL('/menu', page.origin)}` }, menu !== undefined || (!!node.hasMenu && typeof node.hasMenu === 'object'), `Add your menu page's address to the ${type} block as \`hasMenu\`.`);
    }
    case 'jsonld.priceRange':
      return field('price range', str(node.priceRange), { priceRange: '$$' }, undefined, `Add a price range to the ${type} block: "$" to "$$$$", or a range such as "€15–30".`);
    case 'jsonld.acceptsReservations': {
      const v = node.acceptsReservations;
      const value = typeof v === 'boolean' ? String(v) : str(v);
      return field('acceptsReservations', value, { acceptsReservations: true });
    }
    case 'jsonld.geo': {
      const geo = node.geo as Node | undefined;
      const lat = Number(geo?.latitude);
      const lon = Number(geo?.longitude);
      const ok = Number.isFinite(lat) && Number.isFinite(lon) && geo?.latitude !== undefined && geo?.longitude !== undefined;
      return field('geo coordinates', ok ? `${lat}, ${lon}` : undefined, { geo: { '@type': 'GeoCoordinates', latitude: 0, longitude: 0 } }, ok, `Add your coordinates to the ${type} block (in Google Maps, right-click your door: the first line is latitude, longitude) in place of the zeros.`);
    }
  }
}

export const structuredDataModule: CheckModule = {
  id: 'structuredData',
  phase: 1,
  checks: CHECKS,
  async run(ctx) {
    const home = await ctx.site.home();
    const doc = readable(home, CHECKS);
    if ('failed' in doc) return { checks: doc.failed, sources: ['website'] };
    const { $, base } = doc;
    const read = readJsonLd($);
    const page = pageFacts($, base);
    if (!read.business) {
      const types = [...new Set(read.nodes.map((n) => String(n['@type'] ?? '?')))];
      const snippet = scriptTag({
        '@context': 'https://schema.org',
        '@type': 'Restaurant',
        name: page.name,
        url: base.toString(),
        ...(page.phone ? { telephone: page.phone } : {}),
        ...(page.address ? { address: { '@type': 'PostalAddress', streetAddress: page.address } } : {}),
        ...(page.menu ? { hasMenu: page.menu } : {}),
        ...(page.hours.length ? { openingHoursSpecification: toSpecification(page.hours) } : {}),
      });
      const evidence = [
        { label: 'JSON-LD blocks', value: String(read.blocks) },
        ...(types.length ? [{ label: 'types found', value: types.join(', ') }] : []),
        ...read.invalid.map((m) => ({ label: 'invalid block', value: m })),
      ];
      const present = checkResultOf('jsonld.present', {
        status: 'fail',
        summary: read.invalid.length ? 'The page has JSON-LD that does not parse, and no Restaurant or LocalBusiness in it.' : 'The page has no Restaurant or LocalBusiness JSON-LD: search engines must guess its name, address and hours.',
        evidence,
        recommendation: {
          title: 'Add Restaurant JSON-LD to your homepage',
          action: 'Paste this into your homepage\'s <head>, built from what your page shows; then add your address, price range and coordinates.',
          snippet,
          snippetLanguage: 'html',
        },
      });
      const fields = FIELDS.map((id) => checkResultOf(id, { status: 'fail', summary: 'Not stated: there is no Restaurant or LocalBusiness JSON-LD.', evidence: [{ label: 'JSON-LD blocks', value: String(read.blocks) }] }));
      return { checks: [present, ...fields], sources: ['website'] };
    }
    const node = read.business;
    const type = read.businessType!;
    const present = checkResultOf('jsonld.present', { status: 'pass', summary: `The homepage has ${type} JSON-LD.`, evidence: [{ label: 'type', value: type }, { label: 'JSON-LD blocks', value: String(read.blocks) }] });
    const hours = hoursOf(node);
    const facts: BusinessFacts = {
      source: 'jsonld',
      ...(str(node.name) ? { name: str(node.name) } : {}),
      ...(addressLine(node.address) ? { address: addressLine(node.address) } : {}),
      ...(str(node.telephone) ? { phone: str(node.telephone) } : {}),
      ...(hours.length ? { hours } : {}),
      url: str(node.url) ?? base.toString(),
    };
    return { checks: [present, ...FIELDS.map((id) => fieldCheck(id, node, page, type))], facts: [facts], sources: ['website', 'jsonld'] };
  },
};
