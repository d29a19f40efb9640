/**
 * One log line per request where Fastify writes two ("incoming request", then "request completed"
 * with only the response): the completed line carries the request's fields too (through the same
 * serializer, which masks secrets in paths). Every line is a write to stdout, and under bench:turn
 * the two lines were 10 % of the API process's CPU. The arrival is still logged at debug, for a
 * request that never completes (a socket left open) when someone looks with LOG_LEVEL=debug.
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class OneLinePerRequest extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
