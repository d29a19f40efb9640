/**
 * A real Dovecot IMAP server for a test (Debian `dovecot-imapd`): its own configuration in a temp
 * directory, a passwd-file with one user, maildirs there too, no TLS, listening on a free loopback
 * port, run in the foreground as the current user (its internal and login processes too, so it
 * needs no system accounts and no root), and stopped with the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { freePort } from '../support/ports';
import { waitUntil } from '../support/wait';

export const DOVECOT = '/usr/sbin/dovecot';

export interface Dovecot {
  host: string;
  port: number;
  user: string;
  pass: string;
  close(): Promise<void>;
}

/**
 * Unprivileged, every process runs as the current user. As root (CI), Dovecot refuses to run its
 * login processes as root: they use the accounts the Debian package creates (dovecot, dovenull).
 */
function accounts(username: string): string[] {
  if (username !== 'root') return [`default_internal_user = ${username}`, `default_internal_group = ${username}`, `default_login_user = ${username}`, 'first_valid_uid = 1'];
  return ['default_internal_user = dovecot', 'default_login_user = dovenull', 'first_valid_uid = 1'];
}

async function systemAccount(name: string): Promise<{ uid: number; gid: number }> {
  const line = (await readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no ${name} account: install dovecot-core (apt-get install -y dovecot-imapd dovecot-core)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export async function startDovecot(user = 'desk', pass = 'imap-password'): Promise<Dovecot> {
  const dir = await mkdtemp(join(tmpdir(), 'dovecot-'));
  const port = await freePort();
  const me = userInfo();
  const home = join(dir, 'home', user);
  await mkdir(home, { recursive: true });
  // Mail is never accessed as root: started as root, the mailbox belongs to the dovecot account,
  // whose auth process reads the passwd-file in here.
  const owner = me.uid === 0 ? await systemAccount('dovecot') : { uid: me.uid, gid: me.gid };
  if (me.uid === 0) {
    await chmod(dir, 0o755);
    await chown(home, owner.uid, owner.gid);
  }
  await writeFile(join(dir, 'passwd'), `${user}:{PLAIN}${pass}:${owner.uid}:${owner.gid}::${home}\n`);
  await writeFile(
    join(dir, 'dovecot.conf'),
    [
      `base_dir = ${join(dir, 'run')}`,
      `state_dir = ${join(dir, 'state')}`,
      `log_path = ${join(dir, 'dovecot.log')}`,
      'protocols = imap',
      'listen = 127.0.0.1',
      'ssl = no',
      'disable_plaintext_auth = no',
      'auth_mechanisms = plain login',
      ...accounts(me.username),
      'mail_location = maildir:~/Maildir',
      `passdb {\n  driver = passwd-file\n  args = scheme=PLAIN ${join(dir, 'passwd')}\n}`,
      `userdb {\n  driver = passwd-file\n  args = ${join(dir, 'passwd')}\n}`,
      `service imap-login {\n  inet_listener imap {\n    address = 127.0.0.1\n    port = ${port}\n  }\n  inet_listener imaps {\n    port = 0\n  }\n}`,
      'service pop3-login {\n  inet_listener pop3 {\n    port = 0\n  }\n}',
      'service submission-login {\n  inet_listener submission {\n    port = 0\n  }\n}',
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(DOVECOT, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntil(
      () => {
        if (child.exitCode !== null) throw new Error(`dovecot exited: ${output}`);
        return new Promise<boolean>((resolve) => {
          const socket = connect(port, '127.0.0.1', () => {
            socket.end();
            resolve(true);
          }).on('error', () => resolve(false));
        });
      },
      15_000,
      'dovecot listening',
    );
  } catch (err) {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    pass,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      // DOVECOT_KEEP=1 keeps the directory, with dovecot.log, for a look after a failure.
      if (!process.env.DOVECOT_KEEP) await rm(dir, { recursive: true, force: true });
    },
  };
}
