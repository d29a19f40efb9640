/**
 * One Redis subscriber per API process for every live socket: sockets register a listener on a
 * channel, the hub SUBSCRIBEs when a channel gets its first listener and UNSUBSCRIBEs when it
 * loses its last. A connection per socket let any caller with a token hold Redis connections.
 *
 * Redis pub/sub keeps nothing: what is published while the subscriber is reconnecting (Redis
 * restarted, the network blipped) never arrives. After a reconnect the hub subscribes again,
 * waits for Redis to acknowledge, then calls each listener's `onGap`, which catches its socket up
 * from the database (`test/resilience/redis-outage.test.ts` found replies lost this way).
 */
import type { Redis } from 'ioredis';

type Listener = (raw: string) => void;
/** Called after the subscription came back from a reconnect: messages published meanwhile are lost. */
type GapListener = () => void;
interface Channel {
  listeners: Set<Listener>;
  gapListeners: Set<GapListener>;
  /** Settles when Redis acknowledged the SUBSCRIBE. */
  ready: Promise<void>;
}

export class LiveHub {
  private subscriber: Redis | undefined;
  private readonly channels = new Map<string, Channel>();

  constructor(
    private readonly createSubscriber: () => Redis,
    private readonly log: { warn: (o: object, m: string) => void },
  ) {}

  /**
   * Calls `listener` with every message published on `channel` until the returned function is
   * called. Resolves once the subscription is active, so a publish after that is never missed.
   */
  async subscribe(channel: string, listener: Listener, onGap?: GapListener): Promise<() => void> {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), gapListeners: new Set(), ready: this.connection().subscribe(channel).then(() => undefined) };
      this.channels.set(channel, entry);
    }
    const current = entry;
    current.listeners.add(listener);
    if (onGap) current.gapListeners.add(onGap);
    let done = false;
    const unsubscribe = () => {
      if (done) return;
      done = true;
      current.listeners.delete(listener);
      if (onGap) current.gapListeners.delete(onGap);
      if (current.listeners.size > 0 || this.channels.get(channel) !== current) return;
      this.channels.delete(channel);
      // Commands on one connection run in order: a SUBSCRIBE sent after this one wins.
      this.subscriber?.unsubscribe(channel).catch((err) => this.log.warn({ err, channel }, 'live unsubscribe failed'));
    };
    try {
      await current.ready;
    } catch (err) {
      unsubscribe();
      throw err;
    }
    return unsubscribe;
  }

  /** Channels with at least one listener (for tests and diagnostics). */
  get channelCount() {
    return this.channels.size;
  }

  async close() {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.channels.clear();
    await subscriber?.quit().catch(() => subscriber.disconnect());
  }

  private connection(): Redis {
    if (this.subscriber) return this.subscriber;
    const subscriber = this.createSubscriber();
    subscriber.on('message', (channel: string, raw: string) => {
      for (const listener of this.channels.get(channel)?.listeners ?? []) {
        try {
          listener(raw);
        } catch (err) {
          this.log.warn({ err, channel }, 'live listener failed');
        }
      }
    });
    // ioredis reconnects and resubscribes by itself; without a listener it prints every error.
    subscriber.on('error', (err: Error) => this.log.warn({ err }, 'live subscriber error'));
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (connectedBefore) void this.afterReconnect(subscriber);
      connectedBefore = true;
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private async afterReconnect(subscriber: Redis) {
    const names = [...this.channels.keys()];
    if (names.length === 0) return;
    try {
      // Acknowledged in order after ioredis's own resubscription: from here on nothing is missed.
      await subscriber.subscribe(...names);
    } catch (err) {
      // The connection dropped again; its next `ready` starts over.
      return this.log.warn({ err }, 'live resubscribe failed');
    }
    for (const name of names) {
      for (const onGap of this.channels.get(name)?.gapListeners ?? []) {
        try {
          onGap();
        } catch (err) {
          this.log.warn({ err, channel: name }, 'live gap listener failed');
        }
      }
    }
  }
}
