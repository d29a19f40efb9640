/**
 * Admission and frame rate for the API's WebSockets: at most so many open sockets per token, per
 * client address and per tenant (counted in this process), and a token bucket of frames per
 * socket. A refused or flooding socket is closed with a code and a reason the client can show.
 */
import { createHash } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { Config } from '../../core/config';
import type { LiveHub } from './live-hub';

export type SocketLimits = Pick<Config, 'WS_MAX_PER_TOKEN' | 'WS_MAX_PER_IP' | 'WS_MAX_PER_TENANT' | 'WS_FRAME_BURST' | 'WS_FRAMES_PER_SECOND'>;

/** Close codes: 4429 for a socket over a connection cap (like HTTP 429), 1008 (policy) for a flood. */
export const CLOSE_TOO_MANY_SOCKETS = 4429;
export const CLOSE_FRAME_FLOOD = 1008;
/** A flooding client may never answer the close handshake; it is cut off after this. */
const TERMINATE_AFTER_MS = 2_000;

export interface SocketOwner {
  tenantId: string;
  /** The credential the socket was opened with (a chat token, a session, an API key). */
  token: string;
  ip: string;
}

export interface GuardedSocket {
  /** Registers the socket's frame handler; frames over the rate are dropped and close the socket. */
  onFrame(handler: (raw: Buffer) => void): void;
}

export class SocketGate {
  private readonly counts = { token: new Map<string, number>(), ip: new Map<string, number>(), tenant: new Map<string, number>() };

  constructor(private readonly limits: SocketLimits) {}

  /** Counts the socket in, or closes it and returns null when a cap is reached. */
  admit(socket: WebSocket, owner: SocketOwner): GuardedSocket | null {
    const keys = {
      token: createHash('sha256').update(`${owner.tenantId}\0${owner.token}`).digest('base64url'),
      ip: owner.ip,
      tenant: owner.tenantId,
    };
    const caps = { token: this.limits.WS_MAX_PER_TOKEN, ip: this.limits.WS_MAX_PER_IP, tenant: this.limits.WS_MAX_PER_TENANT };
    for (const scope of ['token', 'ip', 'tenant'] as const) {
      if ((this.counts[scope].get(keys[scope]) ?? 0) >= caps[scope]) {
        const reason = `too many open sockets for this ${scope === 'ip' ? 'address' : scope}`;
        send(socket, { type: 'error', error: { code: 'rate_limited', message: reason } });
        socket.close(CLOSE_TOO_MANY_SOCKETS, reason);
        return null;
      }
    }
    for (const scope of ['token', 'ip', 'tenant'] as const) this.counts[scope].set(keys[scope], (this.counts[scope].get(keys[scope]) ?? 0) + 1);
    socket.once('close', () => {
      for (const scope of ['token', 'ip', 'tenant'] as const) {
        const left = (this.counts[scope].get(keys[scope]) ?? 1) - 1;
        if (left > 0) this.counts[scope].set(keys[scope], left);
        else this.counts[scope].delete(keys[scope]);
      }
    });
    return { onFrame: (handler) => this.rateLimited(socket, handler) };
  }

  /** Open sockets counted for a tenant (for tests and diagnostics). */
  openFor(tenantId: string) {
    return this.counts.tenant.get(tenantId) ?? 0;
  }

  private rateLimited(socket: WebSocket, handler: (raw: Buffer) => void) {
    const { WS_FRAME_BURST: burst, WS_FRAMES_PER_SECOND: rate } = this.limits;
    let tokens = burst;
    let last = Date.now();
    let flooded = false;
    socket.on('message', (raw: Buffer) => {
      if (flooded) return;
      const now = Date.now();
      tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
      last = now;
      if (tokens < 1) {
        flooded = true;
        const reason = 'too many frames';
        send(socket, { type: 'error', error: { code: 'rate_limited', message: `${reason}: at most ${rate} a second` } });
        socket.close(CLOSE_FRAME_FLOOD, reason);
        setTimeout(() => socket.readyState !== socket.CLOSED && socket.terminate(), TERMINATE_AFTER_MS).unref();
        return;
      }
      tokens -= 1;
      handler(raw);
    });
  }
}

function send(socket: WebSocket, frame: unknown) {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}

/** What the socket routes share in one API process: the Redis fan-out and the admission gate. */
export interface LiveSockets {
  hub: LiveHub;
  gate: SocketGate;
}
