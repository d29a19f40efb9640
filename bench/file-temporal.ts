/**
 * The Temporal dev server as `npm start` runs it, with its history in a SQLite file (here in a
 * scratch directory, removed at stop): the in-memory server the tests use skips the writes a turn
 * costs the server in use.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTemporalDevServer } from '../temporal/dev-server';
import { freePort } from '../test/support/ports';

export async function startFileTemporal(opts: { nice?: number } = {}): Promise<{ address: string; metricsUrl: string; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-temporal-'));
  try {
    const metricsPort = await freePort();
    const server = await startTemporalDevServer({ dataDir, port: await freePort(), uiPort: await freePort(), nice: opts.nice, metricsPort });
    return {
      address: server.address,
      metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
      async stop() {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
