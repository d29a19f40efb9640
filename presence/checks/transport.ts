/**
 * The site as its server answers: HTTPS (and whether plain HTTP sends visitors there), the TLS
 * certificate (trusted, for this host, not expired or about to), the redirect chain (loops named
 * by their URLs), the homepage's response time and its page weight (HTML plus a sample of the
 * images, scripts and stylesheets it loads, sized by HEAD requests).
 */
import { checkResultOf } from '../../core/presence/rubric';
import type { CheckResult } from '../../core/presence/types';
import { resolveLink, type FetchedPage } from '../site';
import { probeCertificate } from '../tls';
import { kb } from './common';
import type { CheckModule } from './types';

export const RESPONSE_PASS_MS = 1500;
export const RESPONSE_WARN_MS = 4000;
export const WEIGHT_PASS_BYTES = 1.5 * 1024 * 1024;
export const WEIGHT_WARN_BYTES = 3 * 1024 * 1024;
export const CERT_WARN_DAYS = 14;
const RESOURCE_SAMPLE = 15;

function redirectsCheck(page: FetchedPage): CheckResult {
  const chain = page.hops.join(' → ');
  const repeated = page.hops.find((u, i) => page.hops.indexOf(u) !== i);
  if (page.errorKind === 'redirects' || repeated) {
    return checkResultOf('redirects', {
      status: 'fail',
      summary: repeated ? `The homepage redirects in a loop (${repeated} comes back).` : `The homepage redirects more than ${page.hops.length - 1} times without arriving.`,
      evidence: [{ label: 'chain', value: chain }],
      recommendation: { title: 'Fix the redirect loop', action: `Make ${page.requestedUrl} answer the page directly, or redirect once to its final address; the chain now goes ${chain}.` },
    });
  }
  if (page.status === null) {
    return checkResultOf('redirects', { status: 'fail', summary: `The homepage did not answer (${page.error}), so its redirects could not be followed.`, evidence: [{ label: 'chain', value: chain || page.requestedUrl }, { label: 'result', value: page.error ?? 'no answer' }] });
  }
  const count = Math.max(0, page.hops.length - 1);
  const status = count <= 1 ? 'pass' : count <= 3 ? 'warn' : 'fail';
  return checkResultOf('redirects', {
    status,
    summary: count === 0 ? 'The homepage answers without a redirect.' : `The homepage is reached after ${count} redirect${count === 1 ? '' : 's'}.`,
    evidence: [
      { label: 'redirects', value: String(count) },
      { label: 'chain', value: chain || page.requestedUrl },
    ],
    recommendation: { title: 'Shorten the redirect chain', action: `Link and redirect straight to ${page.finalUrl ?? page.requestedUrl}: each of the ${count} redirects costs visitors a round trip.` },
  });
}

async function httpsChecks(ctx: Parameters<CheckModule['run']>[0], page: FetchedPage): Promise<CheckResult[]> {
  const requested = new URL(ctx.url);
  const final = page.finalUrl ? new URL(page.finalUrl) : null;
  const httpsUrl = final?.protocol === 'https:' ? final : requested.protocol === 'https:' ? requested : null;
  const out: CheckResult[] = [];
  // Does plain HTTP send visitors to HTTPS? Asked only when the audit started from https (otherwise the homepage's own chain says it).
  let plain: FetchedPage | null = null;
  if (requested.protocol === 'https:') {
    const http = new URL(requested);
    http.protocol = 'http:';
    plain = await ctx.site.fetch(http.toString(), { timeoutMs: 5000 });
  }
  const plainServes = plain && plain.status !== null && plain.status < 400 && plain.finalUrl?.startsWith('http:');
  if (!httpsUrl) {
    out.push(
      checkResultOf('https', {
        status: 'fail',
        summary: 'The site is served over plain HTTP: browsers mark it "Not secure".',
        evidence: [{ label: 'final URL', value: page.finalUrl ?? page.requestedUrl }],
        recommendation: { title: 'Serve the site over HTTPS', action: 'Turn on HTTPS at your host (most offer a free Let\'s Encrypt certificate) and redirect every http:// address to https://.' },
      }),
    );
  } else {
    out.push(
      checkResultOf('https', {
        status: plainServes ? 'warn' : 'pass',
        summary: plainServes ? 'The site answers over HTTPS, but plain HTTP still serves the page instead of redirecting.' : 'The site is served over HTTPS.',
        evidence: [
          { label: 'HTTPS URL', value: httpsUrl.toString() },
          ...(plain ? [{ label: 'plain HTTP', value: plain.error ? `not served (${plain.error})` : `HTTP ${plain.status} at ${plain.finalUrl}` }] : []),
        ],
        recommendation: { title: 'Redirect HTTP to HTTPS', action: `Answer http://${requested.host}/ with a 301 redirect to https://${requested.host}/.` },
      }),
    );
  }
  if (!httpsUrl) {
    out.push(checkResultOf('certificate', { status: 'fail', summary: 'No certificate: the site is not served over HTTPS.', evidence: [{ label: 'final URL', value: page.finalUrl ?? page.requestedUrl }] }));
    return out;
  }
  try {
    const cert = await probeCertificate(ctx.config, httpsUrl, 5000);
    const now = Date.now();
    const expires = cert.validTo ? Date.parse(cert.validTo) : NaN;
    const daysLeft = Math.floor((expires - now) / 86_400_000);
    const evidence = [
      { label: 'valid from', value: cert.validFrom ?? 'unknown' },
      { label: 'valid to', value: cert.validTo ?? 'unknown' },
      { label: 'issuer', value: cert.issuer ?? 'unknown' },
      { label: 'trusted', value: cert.authorized ? 'yes' : `no (${cert.authorizationError ?? 'unknown reason'})` },
      ...(cert.protocol ? [{ label: 'protocol', value: cert.protocol }] : []),
    ];
    const renew = { title: 'Renew the TLS certificate', action: `Renew the certificate of ${httpsUrl.host} and turn on automatic renewal (Let's Encrypt renews every 60 days).` };
    if (expires < now) out.push(checkResultOf('certificate', { status: 'fail', summary: `The certificate expired on ${cert.validTo!.slice(0, 10)}: browsers show a full-page warning.`, evidence, recommendation: renew }));
    else if (!cert.authorized)
      out.push(checkResultOf('certificate', { status: 'fail', summary: `Browsers do not trust the certificate (${cert.authorizationError}).`, evidence, recommendation: { title: 'Install a trusted certificate', action: `Install a certificate from a public authority for ${httpsUrl.hostname}, with its full chain.` } }));
    else if (daysLeft < CERT_WARN_DAYS) out.push(checkResultOf('certificate', { status: 'warn', summary: `The certificate expires in ${daysLeft} days.`, evidence, recommendation: renew }));
    else out.push(checkResultOf('certificate', { status: 'pass', summary: `A trusted certificate, valid for ${daysLeft} more days.`, evidence }));
  } catch (err) {
    out.push(checkResultOf('certificate', { status: 'fail', summary: `No TLS handshake with ${httpsUrl.host}: ${(err as Error).message}.`, evidence: [{ label: 'host', value: httpsUrl.host }] }));
  }
  return out;
}

async function weightCheck(ctx: Parameters<CheckModule['run']>[0], page: FetchedPage): Promise<CheckResult> {
  const home = await ctx.site.home();
  const urls = new Set<string>();
  if (home.$ && home.base) {
    home.$('img[src], script[src], link[rel~="stylesheet" i][href]').each((_, el) => {
      const url = resolveLink(home.$!(el).attr('src') ?? home.$!(el).attr('href'), home.base!);
      if (url && urls.size < RESOURCE_SAMPLE) urls.add(url.toString());
    });
  }
  const sizes = await Promise.all([...urls].map((u) => ctx.site.fetch(u, { method: 'HEAD', timeoutMs: 4000 })));
  const known = sizes.filter((s) => s.error === null && s.status !== null && s.status < 400 && s.headers['content-length']);
  const resources = known.reduce((sum, s) => sum + s.bytes, 0);
  const total = page.bytes + resources;
  const status = total <= WEIGHT_PASS_BYTES ? 'pass' : total <= WEIGHT_WARN_BYTES ? 'warn' : 'fail';
  return checkResultOf('pageWeight', {
    status,
    summary: `The homepage weighs about ${kb(total)} (HTML and ${known.length} of ${urls.size} sampled resources).`,
    // Resources without a Content-Length are not counted: the weight is a lower bound then.
    inferred: known.length < urls.size,
    evidence: [
      { label: 'HTML', value: kb(page.bytes) },
      { label: 'resources sized', value: `${known.length} of ${urls.size} (${kb(resources)})` },
      { label: 'total', value: kb(total) },
    ],
    recommendation: { title: 'Make the homepage lighter', action: `Compress and resize images (WebP, at most the width they are shown at) and drop unused scripts: the page is ${kb(total)}, aim for under ${kb(WEIGHT_PASS_BYTES)}.` },
  });
}

export const transportModule: CheckModule = {
  id: 'transport',
  phase: 1,
  checks: ['https', 'certificate', 'redirects', 'responseTime', 'pageWeight'],
  async run(ctx) {
    const { page } = await ctx.site.home();
    const checks: CheckResult[] = [...(await httpsChecks(ctx, page)), redirectsCheck(page)];
    if (page.status === null) {
      const why = page.error ?? 'no answer';
      checks.push(checkResultOf('responseTime', { status: 'fail', summary: `The homepage did not answer: ${why}.`, evidence: [{ label: 'result', value: why }, { label: 'waited', value: `${page.ms} ms` }], recommendation: { title: 'Make the homepage answer', action: 'Check the hosting: the homepage did not load for the audit.' } }));
      checks.push(checkResultOf('pageWeight', { status: 'fail', summary: 'Not measured: the homepage did not load.', evidence: [{ label: 'result', value: why }] }));
    } else {
      const status = page.ms <= RESPONSE_PASS_MS ? 'pass' : page.ms <= RESPONSE_WARN_MS ? 'warn' : 'fail';
      checks.push(
        checkResultOf('responseTime', {
          status,
          summary: `The homepage loaded in ${page.ms} ms (HTML, redirects included).`,
          evidence: [
            { label: 'time', value: `${page.ms} ms` },
            { label: 'status', value: `HTTP ${page.status}` },
          ],
          recommendation: { title: 'Speed up the homepage', action: `Turn on caching or a CDN at your host: the homepage took ${page.ms} ms, aim for under ${RESPONSE_PASS_MS} ms.` },
        }),
      );
      checks.push(await weightCheck(ctx, page));
    }
    return { checks, finalUrl: page.finalUrl, sources: ['website'] };
  },
};
