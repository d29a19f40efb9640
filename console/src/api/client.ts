/**
 * The console's only way to the API: same-origin fetch with the session cookie, the CSRF token on
 * unsafe methods, and errors turned into `ApiError` from the API's `{error:{code,message,field}}`.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
/** Kept from POST /v1/auth/login and GET /v1/auth/me; cleared on sign-out. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};
/** For requests that cannot go through `api` (uploads with XMLHttpRequest progress). */
export const getCsrfToken = () => csrfToken;

/** Called on any 401 so the app can return to the sign-in page. */
let onUnauthorized: (() => void) | null = null;
export const setUnauthorizedHandler = (handler: (() => void) | null) => {
  onUnauthorized = handler;
};

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
  if (body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
    });
  } catch (err) {
    throw new ApiError(0, 'network_error', `Could not reach the server: ${(err as Error).message}`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (!res.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; field?: string; details?: unknown } } | null)?.error;
    if (res.status === 401 && !path.startsWith('/v1/auth/')) onUnauthorized?.();
    throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? (res.statusText || `HTTP ${res.status}`), error?.field, error?.details);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T = void>(path: string, body?: unknown) => request<T>('DELETE', path, body),
};

export interface LiveSocketOptions {
  onMessage: (frame: any) => void;
  onOpen?: () => void;
  /** Called on every disconnect; the socket reconnects by itself unless closed. */
  onDisconnect?: (event: CloseEvent) => void;
  /** Close codes after which reconnecting is pointless (e.g. 4401 unauthorized). */
  fatalCodes?: number[];
}

export interface LiveSocket {
  send(frame: unknown): boolean;
  close(): void;
  readonly connected: boolean;
}

/** A same-origin WebSocket that reconnects with exponential backoff (0.5 s doubling to 15 s, jittered). */
export function liveSocket(path: string, opts: LiveSocketOptions): LiveSocket {
  const url = new URL(path, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  let ws: WebSocket | null = null;
  let attempt = 0;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = () => {
    ws = new WebSocket(url);
    ws.onopen = () => {
      attempt = 0;
      opts.onOpen?.();
    };
    ws.onmessage = (e) => {
      try {
        opts.onMessage(JSON.parse(String(e.data)));
      } catch {
        /* a frame that is not JSON is not for us */
      }
    };
    ws.onclose = (e) => {
      opts.onDisconnect?.(e);
      if (closed || opts.fatalCodes?.includes(e.code)) return;
      const delay = Math.min(15_000, 500 * 2 ** attempt++) * (0.75 + Math.random() * 0.5);
      timer = setTimeout(connect, delay);
    };
  };
  connect();

  return {
    send(frame) {
      if (ws?.readyState !== WebSocket.OPEN) return false;
      ws.send(JSON.stringify(frame));
      return true;
    },
    close() {
      closed = true;
      clearTimeout(timer);
      ws?.close();
    },
    get connected() {
      return ws?.readyState === WebSocket.OPEN;
    },
  };
}
