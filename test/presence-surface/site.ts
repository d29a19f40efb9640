/** A restaurant's website served locally: its homepage states name, address, phone, hours and links its Facebook page in JSON-LD. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SiteJsonLd {
  name?: string;
  telephone?: string;
  address?: Record<string, string>;
  sameAs?: string[];
  openingHoursSpecification?: { dayOfWeek: string[]; opens: string; closes: string }[];
  aggregateRating?: { ratingValue: number; reviewCount: number };
}

export const trattoriaJsonLd: SiteJsonLd = {
  name: 'Trattoria Sole',
  telephone: '(217) 555-0142',
  address: { '@type': 'PostalAddress', streetAddress: '123 Main Street', addressLocality: 'Springfield', addressRegion: 'IL', postalCode: '62701', addressCountry: 'US' },
  sameAs: ['https://www.facebook.com/trattoriasole'],
  openingHoursSpecification: [
    { dayOfWeek: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'], opens: '11:00', closes: '22:00' },
    { dayOfWeek: ['Saturday'], opens: '12:00', closes: '24:00' },
  ],
};

export async function startSite(initial: SiteJsonLd | null = trattoriaJsonLd) {
  let jsonLd = initial;
  let delayMs = 0;
  const server = createServer(async (req, res) => {
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (req.url !== '/' && req.url !== '/index.html') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const ld = jsonLd ? `<script type="application/ld+json">${JSON.stringify({ '@context': 'https://schema.org', '@type': 'Restaurant', ...jsonLd })}</script>` : '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trattoria Sole</title>${ld}</head><body><h1>Trattoria Sole</h1><p>Pasta since 1987.</p></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    set(next: SiteJsonLd | null) {
      jsonLd = next;
    },
    /** Every answer waits this long (a slow site, to watch an audit's progress). */
    slow(ms: number) {
      delayMs = ms;
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
