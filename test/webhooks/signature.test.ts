/**
 * The verification snippets in ARCHITECTURE.md ("Verifying a delivery"), run as documented — the
 * Node block imported as a module, the Python block by python3 — against a real delivery's raw
 * body and headers: they accept it, and refuse a changed body, another secret and an old timestamp.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { signatureHeader, verifySignature } from '../../webhooks/signature';
import { waitUntil } from '../support/wait';
import { rigForFile, subscribe } from './support';

const doc = readFileSync(new URL('../../ARCHITECTURE.md', import.meta.url), 'utf8');
const block = (lang: string, marker: string) => {
  const m = new RegExp('```' + lang + '\\n(' + marker + '[\\s\\S]*?)```').exec(doc);
  if (!m) throw new Error(`no ${lang} block starting with ${marker} in ARCHITECTURE.md`);
  return m[1];
};

const file = rigForFile();

it('a delivery carries the documented headers and body, and the documented Node and Python snippets verify it', async () => {
  const t = await file.rig.stack.createTenant();
  const { secret } = await subscribe(file.rig.stack, t.apiKey, file.receiver.url, ['handoff.requested']);
  await file.rig.emit(t.tenantId, 'handoff.requested', { conversationId: '6f1c1a8e-2d7e-4c1b-9a3b-1f6f0c9b2a10', reason: 'angry — «très»' });
  await waitUntil(() => file.receiver.received.length === 1);
  const [got] = file.receiver.received;
  expect(got.json).toMatchObject({ type: 'handoff.requested', tenantId: t.tenantId, data: { reason: 'angry — «très»' } });
  expect(Object.keys(got.json).sort()).toEqual(['createdAt', 'data', 'id', 'tenantId', 'type']);
  expect(got.headers['switchboard-event-type']).toBe('handoff.requested');
  expect(got.headers['switchboard-delivery-id']).toMatch(/^[0-9a-f-]{36}$/);
  const header = String(got.headers['switchboard-signature']);
  expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);

  const dir = mkdtempSync(join(tmpdir(), 'sig-'));
  const nodeFile = join(dir, 'verify.mjs');
  writeFileSync(nodeFile, block('js', '// verify-switchboard-signature.mjs'));
  const { verifySwitchboardSignature } = await import(pathToFileURL(nodeFile).href);
  const raw = Buffer.from(got.body, 'utf8');
  const old = signatureHeader(secret, got.body, Math.floor(Date.now() / 1000) - 301);
  expect(verifySwitchboardSignature(raw, header, secret)).toBe(true);
  expect(verifySwitchboardSignature(Buffer.from(got.body.replace('angry', 'happy')), header, secret)).toBe(false);
  expect(verifySwitchboardSignature(raw, header, 'whsec_other')).toBe(false);
  expect(verifySwitchboardSignature(raw, old, secret)).toBe(false);
  expect(verifySwitchboardSignature(raw, 'v1=abc', secret)).toBe(false);
  // The platform's own helper agrees.
  expect(verifySignature(secret, header, got.body)).toBe(true);

  const pyFile = join(dir, 'verify.py');
  writeFileSync(
    pyFile,
    `${block('python', '# verify_switchboard_signature.py')}
import json, sys
body = open(sys.argv[1], "rb").read()
cases = json.loads(sys.argv[2])
print(json.dumps([verify_switchboard_signature(body if c["body"] is None else c["body"].encode(), c["header"], c["secret"]) for c in cases]))
`,
  );
  writeFileSync(join(dir, 'body'), raw);
  const cases = [
    { body: null, header, secret },
    { body: got.body.replace('angry', 'happy'), header, secret },
    { body: null, header, secret: 'whsec_other' },
    { body: null, header: old, secret },
  ];
  const out = execFileSync('python3', [pyFile, join(dir, 'body'), JSON.stringify(cases)], { encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual([true, false, false, false]);
});
