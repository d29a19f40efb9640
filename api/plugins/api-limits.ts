/**
 * Request budgets of the authenticated API, counted in Redis (shared by every API replica):
 * - per caller (an API key or a signed-in user): `API_RATE_LIMIT` requests a minute;
 * - per client address, failed credentials (unknown API keys, dead session cookies):
 *   `AUTH_FAILURE_LIMIT` in ten minutes, after which that address's unproven credentials are
 *   refused before any lookup, so a flood of guesses costs one Redis read each.
 * `request.ip` is the client's address only when `TRUST_PROXY` names the balancer in front.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors';
import type { AppDeps } from '../deps';
import { countHit, enforceRateLimit, peekHits } from '../services/rate-limit';

const FAILURE_WINDOW_SECONDS = 600;

export function apiLimits(deps: AppDeps) {
  const { API_RATE_LIMIT: perMinute, AUTH_FAILURE_LIMIT: failures } = deps.config;
  const failureKey = (request: FastifyRequest) => `auth-failures:${request.ip}`;

  return {
    /** 429 when the caller's address has failed too often lately. */
    async refuseFailingAddress(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      if (!failures) return;
      const { count, ttl } = await peekHits(deps.redis, failureKey(request));
      if (count < failures) return;
      reply.header('retry-after', String(Math.max(1, ttl)));
      throw new AppError('rate_limited', `too many failed credentials from this address: try again in ${Math.max(1, ttl)} s`, { field: 'authorization' });
    },

    async countFailure(request: FastifyRequest): Promise<void> {
      if (failures) await countHit(deps.redis, failureKey(request), FAILURE_WINDOW_SECONDS);
    },

    async enforceCallerLimit(budget: string, reply: FastifyReply): Promise<void> {
      if (perMinute) await enforceRateLimit(deps.redis, `api:${budget}`, { max: perMinute, windowSeconds: 60 }, reply);
    },
  };
}
