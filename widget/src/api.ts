/** HTTP calls of the widget: its channel's config, visitor sessions, uploads, the socket URL. */
export interface WidgetConfig {
  channelId: string;
  title: string;
  brandColor: string;
  position: 'left' | 'right';
  greeting: string;
  avatarUrl: string | null;
  language: string;
  fileUpload: boolean;
  upload: { maxBytes: number; types: string[] };
}

export interface Session {
  token: string;
  conversationId: string;
  visitorId: string;
  resumed: boolean;
}

export interface Uploaded {
  id: string;
  url: string;
  name: string;
  contentType: string;
  size: number;
}

export interface VoiceAnswer {
  transcript: string;
  replies: { id: string; text: string }[];
  /** The replies spoken (MP3); relative to the API when it has no public URL. */
  audioUrl: string | null;
}

/** An API error with its `{error:{code,message}}` body and HTTP status. */
export class WidgetApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function json<T>(res: Response): Promise<T> {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new WidgetApiError(res.status, body?.error?.code ?? 'error', body?.error?.message ?? res.statusText);
  return body as T;
}

/** localStorage can be unavailable (privacy modes, sandboxed frames): the visitor then lasts as long as the page. */
class VisitorStore {
  private memory: string | null = null;
  constructor(private readonly key: string) {}
  get(): string | null {
    try {
      return localStorage.getItem(this.key) ?? this.memory;
    } catch {
      return this.memory;
    }
  }
  set(id: string) {
    this.memory = id;
    try {
      localStorage.setItem(this.key, id);
    } catch {
      // memory only
    }
  }
}

export class WidgetApi {
  private readonly visitor: VisitorStore;

  constructor(
    readonly base: string,
    readonly channelId: string,
  ) {
    this.visitor = new VisitorStore(`switchboard-widget:${channelId}:visitor`);
  }

  async config(): Promise<WidgetConfig> {
    return json(await fetch(`${this.base}/v1/widget/${encodeURIComponent(this.channelId)}/config`));
  }

  /** Resumes this browser's conversation (same visitor id) or starts one. */
  async session(): Promise<Session> {
    const visitorId = this.visitor.get();
    const res = await fetch(`${this.base}/v1/widget/${encodeURIComponent(this.channelId)}/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(visitorId ? { visitorId } : {}),
    });
    const session = await json<Session>(res);
    this.visitor.set(session.visitorId);
    return session;
  }

  async upload(token: string, file: File): Promise<Uploaded> {
    const form = new FormData();
    form.append('file', file, file.name);
    return json(await fetch(`${this.base}/v1/widget/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }));
  }

  /** A push-to-talk recording: transcribed and sent as the visitor's message; answers the replies and their speech. */
  async voice(token: string, recording: Blob, clientId: string): Promise<VoiceAnswer> {
    const form = new FormData();
    form.append('clientId', clientId);
    form.append('audio', recording, 'recording');
    return json(await fetch(`${this.base}/v1/widget/voice`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form }));
  }

  socketUrl(token: string, since: string | undefined): string {
    const url = new URL('/v1/chat', this.base);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    if (since) url.searchParams.set('since', since);
    return url.toString();
  }
}
