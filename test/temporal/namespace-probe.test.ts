/** The dev server's readiness probe (one DescribeNamespace call over HTTP/2) against the suite's real Temporal server. */
import { createServer } from 'node:net';
import { expect, inject, it } from 'vitest';
import { namespaceReady } from '../../temporal/namespace-probe';

it('is true for a registered namespace and false for an unknown one, a closed port and a server that is not gRPC', async () => {
  const address = inject('temporalAddress');
  expect(await namespaceReady(address, 'default')).toBe(true);
  expect(await namespaceReady(address, 'no-such-namespace')).toBe(false);
  // A name longer than 127 bytes takes a two-byte length: still a well-formed request, still unknown.
  expect(await namespaceReady(address, 'n'.repeat(200))).toBe(false);

  const silent = createServer((socket) => socket.on('data', () => undefined));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as { port: number };
  try {
    expect(await namespaceReady(`127.0.0.1:${port}`, 'default', 300)).toBe(false);
  } finally {
    silent.close();
  }
  expect(await namespaceReady(`127.0.0.1:${port}`, 'default')).toBe(false);
});
