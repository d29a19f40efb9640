/**
 * Which provider base URLs a channel may name (ChannelAdapter.providerUrls). The server calls
 * them with the channel's credentials and the "test connection" action reports what they answer,
 * so a tenant must not point them at internal addresses: https on the provider's domain only,
 * unless the deployment lists the origin in CHANNEL_PROVIDER_URLS_ALLOWED (`*` as the port: any).
 */
const ORIGIN = /^(https?):\/\/([^/:?#]+)(?::(\d+|\*))?\/?$/i;

export function providerUrlAllowed(value: string, domain: string, allowedOrigins: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  if (url.protocol === 'https:' && (host === domain || host.endsWith(`.${domain}`))) return true;
  return allowedOrigins.some((origin) => {
    const m = ORIGIN.exec(origin.trim());
    if (!m) return false;
    const [, scheme, allowedHost, port] = m;
    return url.protocol === `${scheme.toLowerCase()}:` && host === allowedHost.toLowerCase() && (port === '*' || url.port === (port ?? ''));
  });
}
