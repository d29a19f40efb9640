/** The tracing settings as core/config.ts reads them, and where the exporter sends. */
import { expect, it } from 'vitest';
import { loadConfig } from '../../core/config';
import { tracesUrl, tracingEnabled } from '../../telemetry/tracing';

it('is on only with an endpoint, and reads the collector headers as key=value pairs', () => {
  expect(tracingEnabled(loadConfig({}))).toBe(false);
  expect(tracingEnabled(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '' }))).toBe(false);
  const on = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, dataset = prod,broken,=nokey' });
  expect(tracingEnabled(on)).toBe(true);
  expect(on.OTEL_EXPORTER_OTLP_HEADERS).toEqual({ 'x-api-key': 'abc==', dataset: 'prod' });
  expect(on.OTEL_SERVICE_NAME).toBeUndefined();
  expect(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT/);
});

it('sends to <endpoint>/v1/traces, with or without a trailing slash or a path prefix', () => {
  expect(tracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
  expect(tracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
  expect(tracesUrl('https://otel.example.com/tenant-a/')).toBe('https://otel.example.com/tenant-a/v1/traces');
});
