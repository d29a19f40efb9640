/** Shared by the SSRF tests: the IPv6 forms that embed or tunnel an internal IPv4 address (here 127.0.0.1 or 169.254.169.254). */
export const TRANSITION_FORMS = [
  '::7f00:1', // IPv4-compatible
  '::ffff:127.0.0.1', // IPv4-mapped
  '::ffff:7f00:1',
  '64:ff9b::7f00:1', // NAT64
  '64:ff9b::a9fe:a9fe',
  '2002:7f00:1::1', // 6to4
  'fec0::1', // site-local
  '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
];
