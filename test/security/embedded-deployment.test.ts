/**
 * What the deployment files publish: docker-compose.yml exposes only the API on the host, the
 * Temporal UI (no login, every tenant's conversations) is opt-in, loopback-only and read-only,
 * and so are Prometheus and Grafana (the `monitoring` profile, scraping what the services expose);
 * the services' environment loads as a config with its optional settings unset; and `npm start`'s
 * Temporal dev server keeps its UI on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../core/config';
import { devServerArgs } from '../../temporal/dev-server';

interface Service {
  ports?: (string | { published?: string | number; host_ip?: string })[];
  profiles?: string[];
  environment?: Record<string, string>;
}
// Compose resolves YAML merge keys (`<<: *app-env`); so must the parser.
const compose = parse(readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true }) as { services: Record<string, Service> };

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

describe('docker-compose.yml environment', () => {
  /** Compose's interpolation with nothing set: `${X:-d}` → d, `${X:?…}` → a valid value, as an operator must give. */
  const interpolate = (env: Record<string, string>, required: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)\}/g, (_, name: string, fallback?: string) => fallback ?? required[name])]),
    );
  const required = { POSTGRES_PASSWORD: 'pw', SWITCHBOARD_SECRET_KEY: 'ab'.repeat(32) };

  it('loads as a config for the api and the worker with every optional setting unset', () => {
    for (const name of ['api', 'worker']) {
      const config = loadConfig(interpolate(compose.services[name].environment ?? {}, required));
      expect(config.METRICS_TOKEN, name).toBeUndefined();
      expect(config.LLM_BASE_URL, name).toBeUndefined();
      expect(config.LLM_API_KEY, name).toBeUndefined();
    }
  });
});

describe('the monitoring profile', () => {
  const prometheus = parse(readFileSync(new URL('../../monitoring/prometheus.yml', import.meta.url), 'utf8')) as {
    scrape_configs: { job_name: string; authorization?: { credentials_file: string }; static_configs?: { targets: string[] }[]; dns_sd_configs?: { names: string[]; port: number }[] }[];
  };
  const job = (name: string) => prometheus.scrape_configs.find((j) => j.job_name === name)!;

  it('starts Prometheus and Grafana only on request, on loopback', () => {
    for (const name of ['prometheus', 'grafana']) {
      expect(compose.services[name].profiles, name).toEqual(['monitoring']);
      expect((compose.services[name].ports ?? []).map(hostIp), name).toEqual(['127.0.0.1']);
    }
  });

  it('scrapes the API with the token, and every worker on the ports it serves its metrics and the SDK’s on', () => {
    const worker = compose.services.worker.environment ?? {};
    expect(job('switchboard-api').static_configs![0].targets).toEqual(['api:3000']);
    expect(job('switchboard-api').authorization?.credentials_file).toBe('/prometheus/metrics-token');
    expect(job('switchboard-worker').dns_sd_configs![0]).toMatchObject({ names: ['worker'], port: Number(worker.WORKER_METRICS_PORT) });
    expect(job('switchboard-worker').authorization?.credentials_file).toBe('/prometheus/metrics-token');
    expect(job('temporal-sdk').dns_sd_configs![0]).toMatchObject({ names: ['worker'], port: Number(worker.TEMPORAL_SDK_METRICS_PORT) });
    // The worker's metrics stay inside the compose network.
    expect(compose.services.worker.ports ?? []).toEqual([]);
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
