/**
 * How the API and the worker's client connect to the Temporal frontend. grpc-js waits between
 * reconnect attempts 1 s, then 1.6 times longer each time up to 2 minutes, and while it waits every
 * call fails at once: after a Temporal server restart the API refused turns for up to 2.3 s more
 * than the server took to come back (measured against a dev server restarted after 1-10 s down).
 * The frontend is on the same host or network, so trying every 100 ms to 1 s costs nothing and
 * the API answers within a second of the server's return.
 */
import { Connection, type ConnectionOptions } from '@temporalio/client';

export const RECONNECT_CHANNEL_ARGS = {
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
} as const;

const options = (address: string): ConnectionOptions => ({ address, channelArgs: { ...RECONNECT_CHANNEL_ARGS } });

/** Connects now (the API, which needs Temporal to serve). */
export const connectTemporal = (address: string): Promise<Connection> => Connection.connect(options(address));

/** Connects at the first call (the worker's client: a Temporal that is away delays dispatch, it does not stop the worker). */
export const lazyTemporalConnection = (address: string): Connection => Connection.lazy(options(address));
