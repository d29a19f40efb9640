/**
 * What the deployment files publish: docker-compose.yml exposes only the API on the host, the
 * Temporal UI (no login, every tenant's conversations) is opt-in, loopback-only and read-only,
 * and `npm start`'s Temporal dev server keeps its UI on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { devServerArgs } from '../../temporal/dev-server';

interface Service {
  ports?: (string | { published?: string | number; host_ip?: string })[];
  profiles?: string[];
  environment?: Record<string, string>;
}
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8')) as { services: Record<string, Service> };

/** The host address a port entry binds (short syntax "ip:host:container" or long syntax). */
function hostIp(port: Service['ports'] extends (infer P)[] | undefined ? P : never): string {
  if (typeof port === 'object') return port.host_ip ?? '0.0.0.0';
  const parts = port.replace(/\$\{[^}]*\}/g, 'X').split(':');
  return parts.length >= 3 ? parts[0] : '0.0.0.0';
}

describe('docker-compose.yml', () => {
  it('publishes only the API on all interfaces', () => {
    const published = Object.entries(compose.services)
      .filter(([, s]) => (s.ports ?? []).some((p) => hostIp(p) !== '127.0.0.1'))
      .map(([name]) => name);
    expect(published).toEqual(['api']);
  });

  it('keeps PostgreSQL, Redis and the Temporal frontend off the host', () => {
    for (const name of ['postgres', 'redis', 'temporal']) expect(compose.services[name].ports ?? []).toEqual([]);
  });

  it('starts the Temporal UI only on request, on loopback, with write actions disabled', () => {
    const ui = compose.services['temporal-ui'];
    expect(ui.profiles?.length).toBeGreaterThan(0);
    expect((ui.ports ?? []).map(hostIp)).toEqual(['127.0.0.1']);
    expect(ui.environment?.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
    expect(ui.environment?.TEMPORAL_BATCH_ACTIONS_DISABLED).toBe('true');
  });
});

describe('npm start Temporal dev server', () => {
  it('binds the frontend and the UI to 127.0.0.1', () => {
    const args = devServerArgs({ dataDir: '/tmp/x', port: 7233, uiPort: 8233, namespace: 'default', logLevel: 'warn' });
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(flag('--ip')).toBe('127.0.0.1');
    expect(args).toContain('--ui-ip');
    expect(flag('--ui-ip')).toBe('127.0.0.1');
  });
});
