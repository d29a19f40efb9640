/**
 * The chat socket, kept alive: a visitor session (signed token), then the WebSocket with `since`
 * set to the last message shown, so a reconnect brings exactly what was missed. Closed sockets
 * come back after an exponential, jittered, capped delay; an expired token fetches a new session
 * for the same visitor. Messages typed while disconnected wait in the transcript's pending list and
 * go out once the history is in; each carries a clientId, so one the server already took is not
 * taken twice.
 */
import type { Session, WidgetApi } from './api';
import { reconnectDelay } from './backoff';
import type { Transcript } from './transcript';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface Frame {
  type: string;
  [key: string]: any;
}

export class Connection {
  private socket: WebSocket | null = null;
  private session: Session | null = null;
  private ready = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly api: WidgetApi,
    private readonly transcript: Transcript,
    private readonly onFrame: (frame: Frame) => void,
    private readonly onState: (state: ConnectionState) => void,
  ) {
    addEventListener('online', () => this.reconnectNow());
    // Browsers may keep a socket "open" for a while after the network goes; do not wait for it.
    addEventListener('offline', () => this.socket?.close());
  }

  get token(): string | null {
    return this.session?.token ?? null;
  }

  async start(): Promise<void> {
    if (this.socket || this.timer !== undefined) return;
    await this.connect();
  }

  /** A fresh token for uploads when the socket has none yet. */
  async ensureSession(): Promise<Session> {
    this.session ??= await this.api.session();
    return this.session;
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    if (this.socket) return;
    this.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let session: Session;
    try {
      session = await this.ensureSession();
    } catch {
      return this.retry();
    }
    const socket = new WebSocket(this.api.socketUrl(session.token, this.transcript.lastId()));
    this.socket = socket;
    this.ready = false;
    socket.onmessage = (event) => {
      let frame: Frame;
      try {
        frame = JSON.parse(String(event.data));
      } catch {
        return;
      }
      this.onFrame(frame);
      if (frame.type === 'history') {
        this.ready = true;
        this.attempt = 0;
        this.onState('open');
        for (const p of this.transcript.pending) this.write({ text: p.text, clientId: p.clientId });
      }
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.ready = false;
      // 4401: the token expired or the server key changed; the visitor id brings back the same conversation.
      if (event.code === 4401) this.session = null;
      this.onState('reconnecting');
      this.retry();
    };
  }

  private retry() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.connect(), reconnectDelay(this.attempt++));
  }

  private reconnectNow() {
    if (this.socket) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    void this.connect();
  }

  private write(frame: object): boolean {
    if (!this.socket || !this.ready || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Queues the visitor's message; it goes out now if connected, else right after the next history. */
  sendMessage(text: string): string {
    const clientId = randomId();
    this.transcript.queue(text, clientId);
    this.write({ text, clientId });
    return clientId;
  }

  sendTyping(typing: boolean) {
    this.write({ type: 'typing', typing });
  }
}

export function randomId(): string {
  // randomUUID exists only in secure contexts; a plain-http page still has getRandomValues.
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
