/** Real media made with ffmpeg for the render tests: a presenter PNG/JPEG and a small HTTP server serving files. */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A face-sized presenter image (a test card: our checks read size and format, never faces). */
export async function presenterImage(format: 'png' | 'mjpeg' = 'png', size = '512x512'): Promise<Buffer> {
  const { stdout } = await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=1`, '-frames:v', '1', '-c:v', format, '-f', 'image2pipe', 'pipe:1'], { encoding: 'buffer', maxBuffer: 32 * 1024 * 1024 });
  return stdout;
}

/** Serves fixed bodies at fixed paths (what a signed media URL would answer). */
export async function fileServer(files: Record<string, { body: Buffer; type: string }>) {
  const server = createServer((req, res) => {
    const file = files[req.url ?? ''];
    if (!file) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.body.length }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}
