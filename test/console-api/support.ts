/** A console client for tests: signs in with a password, keeps the session cookie and CSRF token. */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import WebSocket from 'ws';
import type { Stack } from '../support/stack';
import { ChatClient } from '../support/ws';

export type Role = 'admin' | 'builder' | 'agent' | 'viewer' | 'marketer' | 'approver';

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ConsoleClient {
  cookie: string | null = null;
  csrfToken: string | null = null;

  constructor(readonly url: string) {}

  async login(email: string, password: string): Promise<Res> {
    const res = await this.request('POST', '/v1/auth/login', { body: { email, password } });
    const setCookie = res.headers.get('set-cookie');
    if (res.status === 200 && setCookie) {
      this.cookie = setCookie.split(';')[0];
      this.csrfToken = res.body.csrfToken;
    }
    return res;
  }

  /** JSON request with the cookie; the CSRF header unless `csrf: false`. */
  async request<T = any>(method: string, path: string, opts: { body?: unknown; csrf?: boolean } = {}): Promise<Res<T>> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(this.csrfToken && opts.csrf !== false ? { 'x-csrf-token': this.csrfToken } : {}),
      },
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
    const text = await res.text();
    let body: any = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    return { status: res.status, body, headers: res.headers };
  }

  /** A WebSocket on this API carrying the session cookie. */
  socket(path: string, headers: Record<string, string> = {}): Promise<ChatClient> {
    return ChatClient.openWith(new WebSocket(this.url.replace(/^http/, 'ws') + path, { headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers } }));
  }
}

/** A user of the given role created through the admin API, signed in. */
export async function signedIn(stack: Stack, apiKey: string, role: Role): Promise<ConsoleClient & { userId: string; email: string; password: string }> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const created = await stack.request('POST', '/v1/users', { apiKey, body: { email, name: `${role} person`, role, password } });
  expect(created.status).toBe(201);
  const client = new ConsoleClient(stack.url);
  const login = await client.login(email, password);
  expect(login.status).toBe(200);
  return Object.assign(client, { userId: created.body.id as string, email, password });
}
