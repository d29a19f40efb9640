/**
 * Accessibility basics readable from the markup: alt text on images (an empty alt marks a
 * decorative image and counts as present), the heading outline (one h1, no skipped levels), the
 * page's language, and text contrast where the markup states both colours (inline styles and
 * <style> rules giving a colour and a background together; WCAG AA: 4.5:1). Colours that come
 * from external stylesheets or inheritance need a rendering engine: contrast is then not measured
 * and the report says so.
 */
import type { CheerioAPI } from 'cheerio/slim';
import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';
import namesPlugin from 'colord/plugins/names';
import { checkResultOf } from '../../core/presence/rubric';
import type { CheckResult } from '../../core/presence/types';
import { readable } from './common';
import type { CheckModule } from './types';

extend([a11yPlugin, namesPlugin]);

export const CONTRAST_AA = 4.5;
export const CONTRAST_LARGE = 3;
export const ALT_WARN_SHARE = 0.8;

function altCheck($: CheerioAPI): CheckResult {
  const images = $('img').toArray();
  const missing = images.filter((el) => $(el).attr('alt') === undefined);
  const share = images.length ? (images.length - missing.length) / images.length : 1;
  return checkResultOf('a11y.altText', {
    status: missing.length === 0 ? 'pass' : share >= ALT_WARN_SHARE ? 'warn' : 'fail',
    summary: images.length === 0 ? 'The homepage has no images.' : missing.length ? `${missing.length} of ${images.length} images have no alt text: screen readers announce them by file name.` : `All ${images.length} images have alt text.`,
    evidence: [
      { label: 'images', value: String(images.length) },
      { label: 'without alt', value: String(missing.length) },
      ...missing.slice(0, 5).map((el) => ({ label: 'missing alt', value: $(el).attr('src') ?? '(no src)' })),
    ],
    recommendation: { title: 'Describe your images', action: 'Give every image an alt text that says what it shows ("Grilled sea bass with lemon"); alt="" for purely decorative ones.', snippet: `<img src="${$(missing[0]).attr('src') ?? '/dish.jpg'}" alt="What the photo shows">`, snippetLanguage: 'html' },
  });
}

function headingsCheck($: CheerioAPI): CheckResult {
  const levels = $('h1, h2, h3, h4, h5, h6')
    .toArray()
    .map((el) => Number(el.tagName.slice(1)));
  const h1 = levels.filter((l) => l === 1).length;
  const skips = levels.filter((l, i) => i > 0 && l > levels[i - 1]! + 1).length;
  const problems = [...(h1 === 0 ? ['no h1'] : h1 > 1 ? [`${h1} h1 headings`] : []), ...(skips ? [`${skips} skipped level${skips === 1 ? '' : 's'}`] : [])];
  return checkResultOf('a11y.headings', {
    status: levels.length === 0 ? 'fail' : problems.length ? 'warn' : 'pass',
    summary: levels.length === 0 ? 'The page has no headings: screen-reader users cannot skim it.' : problems.length ? `The heading outline has ${problems.join(' and ')}.` : 'One h1 and an outline without skipped levels.',
    evidence: [{ label: 'outline', value: levels.map((l) => `h${l}`).join(' ') || 'none' }],
    recommendation: { title: 'Fix the heading outline', action: 'Use one h1 (the restaurant\'s name or the page\'s subject), then h2 for sections (Menu, Hours, Find us) and h3 inside them, without skipping levels.' },
  });
}

function langCheck($: CheerioAPI): CheckResult {
  const lang = ($('html').attr('lang') ?? '').trim();
  return checkResultOf('a11y.lang', {
    status: lang ? 'pass' : 'fail',
    summary: lang ? `The page declares its language (${lang}).` : 'The page does not declare its language: screen readers may read it with the wrong voice.',
    evidence: [{ label: 'html lang', value: lang || 'missing' }],
    recommendation: { title: 'Declare the page language', action: 'Add the lang attribute to the <html> tag.', snippet: '<html lang="en">', snippetLanguage: 'html' },
  });
}

const declaration = (css: string, prop: RegExp) => {
  const m = prop.exec(css);
  return m ? m[1]!.replace(/!important/i, '').trim() : null;
};
/** The first token of a value that is a colour (`background: #fff url(x)` → #fff). */
function colourOf(value: string | null) {
  if (!value) return null;
  const whole = colord(value);
  if (whole.isValid()) return whole;
  for (const token of value.match(/#[0-9a-f]{3,8}\b|rgba?\([^)]*\)|hsla?\([^)]*\)|\b[a-z]+\b/gi) ?? []) {
    const c = colord(token);
    if (c.isValid()) return c;
  }
  return null;
}

interface Pair {
  where: string;
  ratio: number;
  fg: string;
  bg: string;
}

function contrastPairs($: CheerioAPI): Pair[] {
  const blocks: { where: string; css: string }[] = [];
  $('[style]').each((_, el) => void blocks.push({ where: `<${el.tagName}> style`, css: $(el).attr('style') ?? '' }));
  $('style').each((_, el) => {
    for (const m of $(el).text().replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/([^{}@]+)\{([^{}]*)\}/g)) blocks.push({ where: m[1]!.trim().slice(0, 80), css: m[2]! });
  });
  const pairs: Pair[] = [];
  for (const b of blocks) {
    const fg = colourOf(declaration(b.css, /(?:^|[;\s])color\s*:\s*([^;]+)/i));
    const bg = colourOf(declaration(b.css, /background(?:-color)?\s*:\s*([^;]+)/i));
    if (!fg || !bg || bg.alpha() < 1) continue;
    pairs.push({ where: b.where, ratio: Math.round(fg.contrast(bg) * 100) / 100, fg: fg.toHex(), bg: bg.toHex() });
  }
  return pairs;
}

function contrastCheck($: CheerioAPI): CheckResult {
  const pairs = contrastPairs($);
  if (pairs.length === 0) return checkResultOf('a11y.contrast', { status: 'skipped', summary: 'Not measurable from the markup: the page states no text colour together with its background (they come from external stylesheets).', inferred: true });
  const worst = pairs.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const low = pairs.filter((p) => p.ratio < CONTRAST_AA);
  return checkResultOf('a11y.contrast', {
    status: low.length === 0 ? 'pass' : worst.ratio >= CONTRAST_LARGE ? 'warn' : 'fail',
    summary: low.length === 0 ? `All ${pairs.length} colour pairs stated in the markup reach ${CONTRAST_AA}:1.` : `${low.length} of ${pairs.length} colour pairs are below ${CONTRAST_AA}:1 (worst ${worst.ratio}:1, ${worst.fg} on ${worst.bg}).`,
    inferred: true,
    evidence: [{ label: 'pairs measured', value: String(pairs.length) }, ...low.slice(0, 5).map((p) => ({ label: p.where, value: `${p.fg} on ${p.bg}: ${p.ratio}:1` }))],
    recommendation: { title: 'Raise the text contrast', action: `Darken the text or lighten the background where the contrast is below ${CONTRAST_AA}:1 (${low.slice(0, 3).map((p) => `${p.where}: ${p.fg} on ${p.bg}`).join('; ')}).` },
  });
}

const CHECKS = ['a11y.altText', 'a11y.headings', 'a11y.contrast', 'a11y.lang'] as const;

export const accessibilityModule: CheckModule = {
  id: 'accessibility',
  phase: 1,
  checks: CHECKS,
  async run(ctx) {
    const doc = readable(await ctx.site.home(), CHECKS);
    if ('failed' in doc) return { checks: doc.failed, sources: ['website'] };
    const contrast = contrastCheck(doc.$);
    return {
      checks: [altCheck(doc.$), headingsCheck(doc.$), contrast, langCheck(doc.$)],
      notes: contrast.status === 'skipped' ? ['Text contrast could not be measured: the page’s colours come from external stylesheets.'] : [],
      sources: ['website'],
    };
  },
};
