/**
 * Thumbnails of inbound media, through the real webhook route, the background download workflow
 * and the real ffmpeg: a stored image and a stored video each get a ≤320-px JPEG stored beside
 * them and a signed `thumbnailUrl` in the API's message; a corrupt "image" is stored without one.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messengerAttachment } from '../fakes/meta-webhooks';
import { waitUntil } from '../support/wait';
import { startChannelBench, type ChannelBench } from './support';

const PAGE_ID = '1477392262503400';
const SECRET = 'thumbnail-app-secret';
const dir = mkdtempSync(join(tmpdir(), 'thumb-route-'));
const generate = (name: string, size: string, output: string[]) => {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25`, ...output, join(dir, name)]);
  return readFileSync(join(dir, name));
};
const FILES: Record<string, [string, Buffer]> = {
  '/photo.png': ['image/png', generate('photo.png', '1024x768', ['-frames:v', '1'])],
  '/clip.mp4': ['video/mp4', generate('clip.mp4', '640x360', ['-t', '2', '-pix_fmt', 'yuv420p'])],
  '/broken.jpg': ['image/jpeg', Buffer.from('this is not a JPEG, whatever the header says')],
};

let bench: ChannelBench;
let channel: { id: string };
let media: Server;
let mediaUrl: string;

beforeAll(async () => {
  bench = await startChannelBench();
  bench.graph.addPage({ pageId: PAGE_ID, accessToken: 'page-token' });
  channel = await bench.channel('messenger', { credentials: { pageAccessToken: 'page-token', appSecret: SECRET, verifyToken: 'v' }, settings: { pageId: PAGE_ID, typingIndicators: false } });
  media = createServer((req, res) => {
    const [type, body] = FILES[req.url!] ?? [];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((r) => media.listen(0, '127.0.0.1', r));
  mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => media?.close(r));
  await bench?.close();
  rmSync(dir, { recursive: true, force: true });
});

let users = 0;
/** Sends one attachment and waits until its download finished; returns the stored entry and the API's attachment. */
async function receive(path: string, type: string) {
  const psid = `${Date.now()}${String(++users).padStart(3, '0')}`;
  await bench.graph.post(`${bench.stack.url}/v1/webhooks/messenger/${channel.id}`, SECRET, messengerAttachment(PAGE_ID, psid, `${mediaUrl}${path}`, type));
  const inbound = async () =>
    (await bench.rows(`select m.id, m.conversation_id, m.metadata from messages m join conversations c on c.id = m.conversation_id where c.thread_key = $1 and m.direction = 'in'`, [psid]))[0];
  await waitUntil(async () => ['stored', 'failed'].includes((await inbound())?.metadata.attachments?.[0]?.status), 30_000, `${path} downloaded`);
  const row = await inbound();
  const res = await bench.stack.request('GET', `/v1/conversations/${row.conversation_id}/messages`, { apiKey: bench.apiKey });
  const api = (res.body.messages as { id: string; attachments?: Record<string, unknown>[] }[]).find((m) => m.id === row.id)!.attachments![0];
  return { stored: row.metadata.attachments[0], api };
}

/** Fetches a signed link on the stack (the link carries PUBLIC_URL, the path and signature are what matter). */
async function download(url: string) {
  const { pathname, search } = new URL(url, bench.stack.url);
  const res = await fetch(`${bench.stack.url}${pathname}${search}`);
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

function jpegSize(jpeg: Buffer): [number, number] {
  const file = join(dir, `probe-${Math.random()}.jpg`);
  writeFileSync(file, jpeg);
  const out = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file]).toString();
  return out.trim().split(',').map(Number) as [number, number];
}

describe('inbound media thumbnails', () => {
  it('an image gets a 320-px JPEG stored beside it and a signed thumbnailUrl', async () => {
    const { stored, api } = await receive('/photo.png', 'image');
    expect(stored).toMatchObject({ status: 'stored', contentType: 'image/png', thumbnailAssetId: expect.any(String) });
    const [thumb] = await bench.rows(`select ref, content_type, conversation_id from media_assets where id = $1`, [stored.thumbnailAssetId]);
    expect(thumb).toMatchObject({ ref: `${mediaUrl}/photo.png#thumbnail`, content_type: 'image/jpeg' });
    expect(api).toMatchObject({ status: 'stored', url: expect.stringContaining('/v1/widget/files/'), thumbnailUrl: expect.stringContaining(`/v1/widget/files/${stored.thumbnailAssetId}/`) });
    const file = await download(api.thumbnailUrl as string);
    expect(file).toMatchObject({ status: 200, type: 'image/jpeg' });
    expect(jpegSize(file.body)).toEqual([320, 240]);
    // The signature is checked: a thumbnail link with another signature is refused.
    expect((await download((api.thumbnailUrl as string).replace(/sig=[^&]+/, 'sig=forged'))).status).toBeGreaterThanOrEqual(400);
  });

  it('a video gets a frame as its thumbnail', async () => {
    const { stored, api } = await receive('/clip.mp4', 'video');
    expect(stored).toMatchObject({ status: 'stored', contentType: 'video/mp4', thumbnailAssetId: expect.any(String) });
    const file = await download(api.thumbnailUrl as string);
    expect(file.type).toBe('image/jpeg');
    expect(jpegSize(file.body)).toEqual([320, 180]);
  });

  it('the run page can show the download run: listed by type, its history with both steps; no flow graph (404 naming runId); not for another tenant', async () => {
    const { api } = await receive('/photo.png', 'image');
    expect(api.status).toBe('stored');
    const runs = await bench.stack.request('GET', '/v1/runs?type=fetchInboundMedia', { apiKey: bench.apiKey });
    expect(runs.status).toBe(200);
    const run = (runs.body.runs as { workflowId: string; type: string }[]).find((r) => r.workflowId.startsWith(`media:${bench.tenantId}:${channel.id}:`));
    expect(run).toMatchObject({ type: 'fetchInboundMedia' });
    const id = encodeURIComponent(run!.workflowId);
    const history = await bench.stack.request('GET', `/v1/runs/${id}/history`, { apiKey: bench.apiKey });
    expect(history.status).toBe(200);
    // No node trace to read for a kind without a flow graph: read as empty, not as a failed read.
    expect(history.body).toMatchObject({ type: 'fetchInboundMedia', status: 'completed', traceRead: true, visits: [] });
    const steps = (history.body.nodes as { steps: { name: string }[] }[]).flatMap((n) => n.steps.map((st) => st.name));
    expect(steps).toEqual(expect.arrayContaining(['downloadInboundMedia', 'markInboundMedia']));
    const graph = await bench.stack.request('GET', `/v1/runs/${id}/graph`, { apiKey: bench.apiKey });
    expect(graph.status).toBe(404);
    expect(graph.body.error.field).toBe('runId');
    const other = await bench.stack.createTenant();
    expect((await bench.stack.request('GET', `/v1/runs/${id}/history`, { apiKey: other.apiKey })).status).toBe(404);
  });

  it('a corrupt image is stored, with no thumbnail', async () => {
    const { stored, api } = await receive('/broken.jpg', 'image');
    expect(stored).toMatchObject({ status: 'stored', contentType: 'image/jpeg' });
    expect(stored.thumbnailAssetId).toBeUndefined();
    expect(api).toMatchObject({ status: 'stored', url: expect.any(String) });
    expect(api.thumbnailUrl).toBeUndefined();
    const [{ n }] = await bench.rows(`select count(*)::int as n from media_assets where ref = $1`, [`${mediaUrl}/broken.jpg#thumbnail`]);
    expect(n).toBe(0);
  });
});
