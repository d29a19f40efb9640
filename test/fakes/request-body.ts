import type { IncomingMessage } from 'node:http';

/** A request's whole body, as the fake providers read it before answering. */
export async function requestBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
