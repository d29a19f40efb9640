/**
 * Whether a Temporal frontend answers DescribeNamespace for a namespace with OK: one gRPC call
 * over node's own HTTP/2. The supervisor waits on the dev server with it instead of the Temporal
 * client, whose generated API code was ~50 MB of a process that otherwise only watches children.
 */
import { connect, constants } from 'node:http2';

const DESCRIBE_NAMESPACE = '/temporal.api.workflowservice.v1.WorkflowService/DescribeNamespace';

/** `DescribeNamespaceRequest { string namespace = 1; }` in protobuf, in a gRPC length-prefixed frame. */
function describeNamespaceFrame(namespace: string): Buffer {
  const name = Buffer.from(namespace, 'utf8');
  const length: number[] = [];
  for (let n = name.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  const message = Buffer.concat([Buffer.from([0x0a, ...length]), name]);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

export function namespaceReady(address: string, namespace: string, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const session = connect(`http://${address}`);
    let settled = false;
    const done = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    session.on('error', () => done(false));
    const request = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: DESCRIBE_NAMESPACE,
      [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
      te: 'trailers',
    });
    // A refusal may come as headers only (grpc-status in the response headers), an answer in the trailers.
    const status = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] !== undefined) done(headers['grpc-status'] === '0');
    };
    request.on('response', status);
    request.on('trailers', status);
    request.on('data', () => undefined);
    request.on('end', () => done(false));
    request.on('error', () => done(false));
    request.end(describeNamespaceFrame(namespace));
  });
}
