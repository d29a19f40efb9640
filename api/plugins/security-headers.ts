/**
 * Browser hardening on every response (helmet): a Content-Security-Policy that allows
 * only the API's own scripts, styles, images and sockets and no framing (`frame-ancestors 'none'`),
 * `nosniff`, `Referrer-Policy: no-referrer`, and HSTS on HTTPS requests. Pages with an inline
 * script (the /chat page) extend the policy with that script's hash through `cspWithScript`.
 * `/widget.js` is fetched by third-party pages, so it sets its own Cross-Origin-Resource-Policy.
 * Each policy's helmet middleware is built once: `@fastify/helmet` built it again on every request
 * (its CSP parsed and every header formatted, about 0.2 ms of each turn's API time in a profile).
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/** A policy's headers, set on a response (a helmet middleware built once). */
export type SecurityHeaders = ReturnType<typeof helmet>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's own policy (`cspWithScript`) instead of the API's. */
    securityHeaders?: SecurityHeaders;
  }
}

const DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  // React and Swagger UI set style attributes; styles cannot run code.
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  // `'self'` covers the same host's ws:/wss: sockets.
  connectSrc: ["'self'"],
};

const policy = (directives: typeof DIRECTIVES) => ({
  // No `upgrade-insecure-requests`: the embedded mode is served over plain http.
  contentSecurityPolicy: { useDefaults: false, directives },
  referrerPolicy: { policy: 'no-referrer' as const },
  // Older browsers' frame-ancestors.
  xFrameOptions: { action: 'deny' as const },
  // Only meaningful over HTTPS, and pinning plain-http localhost to HTTPS would break it: see below.
  strictTransportSecurity: false,
});

export async function registerSecurityHeaders(app: FastifyInstance) {
  const apiPolicy = helmet(policy(DIRECTIVES));
  app.addHook('onRequest', (request, reply, done) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    (request.routeOptions.config.securityHeaders ?? apiPolicy)(request.raw, reply.raw, (err) => done(err as Error | undefined));
  });
}

/** A route's `config.securityHeaders` for an HTML page whose one inline script is `html`'s `<script>` element. */
export function cspWithScript(html: string): SecurityHeaders {
  return helmet(policy({ ...DIRECTIVES, scriptSrc: ["'self'", scriptHash(html)] }));
}

/** The CSP source of the page's one inline `<script>` element. */
function scriptHash(html: string): string {
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (script === undefined) throw new Error('the page has no inline <script>');
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
}

/**
 * The Content-Security-Policy header of a page with one inline script that other sites may frame
 * (the public booking page): the usual policy, that script's hash, and the given frame-ancestors.
 */
export function pageCsp(html: string, ancestors: readonly string[]): string {
  const directives: Record<string, readonly string[]> = { ...DIRECTIVES, scriptSrc: ["'self'", scriptHash(html)], frameAncestors: ancestors };
  return Object.entries(directives)
    .map(([name, values]) => `${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${values.join(' ')}`)
    .join('; ');
}
