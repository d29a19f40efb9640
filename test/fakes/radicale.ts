/**
 * A real Radicale CalDAV server for a test (PyPI `radicale`, installed by scripts/ensure-services.sh
 * into .tools/py/radicale): htpasswd authentication with one or more users (plain passwords: the test
 * knows them anyway), its collections in a temp folder, listening on a free loopback port, stopped
 * with the test. Each user gets one calendar, created with MKCALENDAR, at
 * `{url}/{user}/calendar/`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/ports';
import { waitUntil } from '../support/wait';

const RADICALE_LIB = resolve(import.meta.dirname, '../../.tools/py/radicale');

export interface RadicaleUser {
  username: string;
  password: string;
  /** The user's calendar collection (ends with `/`). */
  calendarUrl: string;
}

export interface Radicale {
  /** The server root, e.g. http://127.0.0.1:PORT/ — what a staff member types as the CalDAV URL. */
  url: string;
  users: Record<string, RadicaleUser>;
  close(): Promise<void>;
}

const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

/** Adds an event straight through HTTP, as another calendar app would (returns its href). */
export async function putRawEvent(user: RadicaleUser, name: string, ics: string): Promise<string> {
  const href = `${user.calendarUrl}${name}.ics`;
  const res = await fetch(href, { method: 'PUT', headers: { authorization: basic(user.username, user.password), 'content-type': 'text/calendar; charset=utf-8' }, body: ics });
  if (res.status >= 300) throw new Error(`PUT ${href}: ${res.status} ${await res.text()}`);
  return href;
}

export async function deleteRaw(user: RadicaleUser, href: string): Promise<void> {
  const res = await fetch(href, { method: 'DELETE', headers: { authorization: basic(user.username, user.password) } });
  if (res.status >= 300) throw new Error(`DELETE ${href}: ${res.status}`);
}

export async function getRaw(user: RadicaleUser, href: string): Promise<{ status: number; body: string }> {
  const res = await fetch(href, { headers: { authorization: basic(user.username, user.password) } });
  return { status: res.status, body: await res.text() };
}

export async function startRadicale(users: { username: string; password: string }[] = [{ username: 'anna', password: 'calendar-pass' }]): Promise<Radicale> {
  if (!existsSync(join(RADICALE_LIB, 'radicale'))) throw new Error(`Radicale is not installed in ${RADICALE_LIB}: run scripts/ensure-services.sh (npm test does)`);
  const dir = await mkdtemp(join(tmpdir(), 'radicale-'));
  const port = await freePort();
  await writeFile(join(dir, 'users'), users.map((u) => `${u.username}:${u.password}`).join('\n') + '\n');
  await writeFile(
    join(dir, 'config'),
    [
      '[server]',
      `hosts = 127.0.0.1:${port}`,
      '[auth]',
      'type = htpasswd',
      `htpasswd_filename = ${join(dir, 'users')}`,
      'htpasswd_encryption = plain',
      // Radicale delays every failed login by up to this many seconds; the tests try wrong passwords.
      'delay = 0',
      '[rights]',
      'type = owner_only',
      '[storage]',
      `filesystem_folder = ${join(dir, 'collections')}`,
      '[logging]',
      'level = warning',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn('python3', ['-m', 'radicale', '--config', join(dir, 'config')], {
    env: { ...process.env, PYTHONPATH: RADICALE_LIB },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}/`;
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    if (!process.env.RADICALE_KEEP) await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`radicale exited: ${output}`);
        return fetch(url).then(
          () => true,
          () => false,
        );
      },
      15_000,
      'radicale listening',
    );
    const made: Record<string, RadicaleUser> = {};
    for (const u of users) {
      const calendarUrl = `${url}${u.username}/calendar/`;
      const body = `<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>Work</D:displayname><C:supported-calendar-component-set><C:comp name="VEVENT"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>`;
      const res = await fetch(calendarUrl, { method: 'MKCALENDAR', headers: { authorization: basic(u.username, u.password), 'content-type': 'application/xml' }, body });
      if (res.status !== 201) throw new Error(`MKCALENDAR ${calendarUrl}: ${res.status} ${await res.text()}`);
      made[u.username] = { ...u, calendarUrl };
    }
    return { url, users: made, close };
  } catch (err) {
    await close();
    throw err;
  }
}
