/** A WebSocket client for tests that collects frames and waits for the ones it expects. */
import WebSocket from 'ws';
import { llmOnlyFlow } from './flows';
import type { Stack } from './stack';

export interface Frame {
  type: string;
  [key: string]: any;
}

export class ChatClient {
  readonly frames: Frame[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw)) as Frame;
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => (w.match(frame) ? (w.resolve(frame), false) : true));
    });
  }

  static open(url: string): Promise<ChatClient> {
    return ChatClient.openWith(new WebSocket(url));
  }

  /** Wraps a socket created with options (headers such as a cookie); resolves when it is open. */
  static openWith(socket: WebSocket): Promise<ChatClient> {
    return new Promise((resolve, reject) => {
      const client = new ChatClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`socket refused: HTTP ${res.statusCode}`)));
    });
  }

  send(payload: unknown) {
    this.socket.send(JSON.stringify(payload));
  }

  /** Resolves with the first frame (already received or future) that matches. */
  waitFor(match: (f: Frame) => boolean, timeoutMs = 20_000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.type))}`)), timeoutMs);
      this.waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  /**
   * Every stored message the socket carried live (`message` frames), in order and with repeats:
   * what exactly-once checks count, since `messages()` hides a message sent twice.
   */
  messageFrames(): any[] {
    return this.frames.filter((f) => f.type === 'message').map((f) => f.message);
  }

  /** Stored messages seen on the socket (history + live), each id once: what a client shows. */
  messages(): any[] {
    const byId = new Map<string, any>();
    for (const f of this.frames) {
      const list = f.type === 'history' ? f.messages : f.type === 'message' ? [f.message] : [];
      for (const m of list) if (!byId.has(m.id)) byId.set(m.id, m);
    }
    return [...byId.values()];
  }

  close() {
    this.socket.close();
  }
}

/**
 * A tenant whose model is `llmBaseUrl`, a published one-answer LLM flow, and a web-chat session on
 * it with its socket open past the history: the start of the crash tests' turns.
 */
export async function openLlmChat(stack: Stack, llmBaseUrl: string) {
  const { apiKey, tenantId } = await stack.createTenant({ llm: { baseURL: llmBaseUrl } });
  const flow = await stack.request('POST', '/v1/flows', { apiKey, body: { name: 'LLM', graph: llmOnlyFlow } });
  await stack.request('POST', `/v1/flows/${flow.body.id}/publish`, { apiKey });
  const session = await stack.request('POST', '/v1/chat/sessions', { apiKey, body: { flowId: flow.body.id } });
  const chat = await ChatClient.open(`${stack.url.replace('http', 'ws')}/v1/chat?token=${encodeURIComponent(session.body.token)}`);
  await chat.waitFor((f) => f.type === 'history');
  return { apiKey, tenantId, conversationId: session.body.conversationId as string, chat };
}
