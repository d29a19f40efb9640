/**
 * A hash router (`#/flows/abc`): the API serves one index.html, so deep links and reloads work
 * wherever it is mounted. Patterns are `/runs/:runId`; the first match wins.
 */
import { useSyncExternalStore, type AnchorHTMLAttributes, type ReactNode } from 'react';

export interface Location {
  path: string;
  query: URLSearchParams;
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};
const currentHash = () => window.location.hash;

function parse(hash: string): Location {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  return { path: path.startsWith('/') ? path : `/${path}`, query: new URLSearchParams(search) };
}

/** The current location; re-renders on navigation. */
export function useLocation(): Location {
  return parse(useSyncExternalStore(subscribe, currentHash));
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  const hash = `#${to.startsWith('/') ? to : `/${to}`}`;
  if (opts.replace) window.location.replace(hash);
  else window.location.hash = hash;
}

/** Params of `pattern` when it matches `path`, else null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}

export interface RouteDef<Ctx> {
  pattern: string;
  /** Starts downloading the page's code. */
  preload?: () => void;
  render: (params: Record<string, string>, ctx: Ctx) => ReactNode;
}

export function resolveRoute<Ctx>(routes: RouteDef<Ctx>[], path: string, ctx: Ctx): ReactNode | undefined {
  for (const r of routes) {
    const params = matchPath(r.pattern, path);
    if (params) return r.render(params, ctx);
  }
  return undefined;
}

/** An in-app link: a real href (so "open in new tab" works) that navigates by hash. */
export function Link({ to, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return <a href={`#${to}`} {...rest} />;
}
