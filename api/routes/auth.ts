/**
 * Console sign-in: `POST /v1/auth/login` checks the password (argon2id) and sets the session
 * cookie; `logout` deletes the session; `me` tells the console who is signed in. Attempts are
 * rate-limited per email and client address (`request.ip`: see TRUST_PROXY).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../core/api/common';
import { loginBody, sessionBody } from '../../core/api/auth';
import { AppError } from '../../core/errors';
import { Tenant, User } from '../../db/entities';
import { systemEm, tenantEm, TENANT_FILTER } from '../../db/orm';
import { checkPassword, createSession, deleteExpiredSessions, deleteSession, normalizeEmail, touchLogin } from '../../db/repos';
import { clearSessionCookie, sessionMaxAgeMs, setSessionCookie } from '../plugins/session';
import type { AppDeps } from '../deps';

const LOGIN_ATTEMPTS = 10;
const LOGIN_WINDOW = '15 minutes';
const WRONG = () => new AppError('unauthorized', 'wrong email or password', { field: 'password' });

export const authRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['auth'];

    async function sessionView(tenantId: string, userId: string, csrfToken: string) {
      const em = systemEm(deps.orm);
      const [tenant, user] = await Promise.all([
        em.findOneOrFail(Tenant, { id: tenantId }),
        em.findOneOrFail(User, { id: userId }, { filters: { [TENANT_FILTER]: false } }),
      ]);
      return {
        user: { id: user.id, email: user.email, name: user.name, role: user.role, phone: user.phone ?? null },
        tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name },
        csrfToken,
      };
    }

    app.post(
      '/v1/auth/login',
      {
        config: {
          public: true,
          // After the body is parsed, so the key can name the email.
          rateLimit: {
            max: LOGIN_ATTEMPTS,
            timeWindow: LOGIN_WINDOW,
            hook: 'preHandler',
            keyGenerator: (request) => `login:${normalizeEmail(String((request.body as { email?: string })?.email ?? ''))}:${request.ip}`,
          },
        },
        schema: { tags, summary: 'Sign in to the console: sets the session cookie, returns the CSRF token', body: loginBody, response: { 200: sessionBody, ...errorResponses } },
      },
      async (request, reply) => {
        const email = normalizeEmail(request.body.email);
        const system = systemEm(deps.orm);
        const workspace = request.body.workspace ? await system.findOne(Tenant, { slug: request.body.workspace.toLowerCase() }) : undefined;
        // One account is tried, never several: an email in more than one workspace must name it.
        const accounts =
          workspace === null
            ? []
            : await system.find(
                User,
                { email, disabled: false, ...(workspace ? { tenant: workspace.id } : {}) },
                { filters: { [TENANT_FILTER]: false }, populate: ['passwordHash'], limit: 2 },
              );
        if (accounts.length > 1) {
          // As long as a wrong password takes.
          await checkPassword(null, request.body.password);
          throw new AppError('bad_request', 'this email signs in to more than one workspace: name the workspace', { field: 'workspace' });
        }
        const user = accounts[0] ?? null;
        if (!(await checkPassword(user?.passwordHash ?? null, request.body.password)) || !user) throw WRONG();
        const em = tenantEm(deps.orm, user.tenant);
        const { token, session } = await createSession(em, user.tenant, user.id, sessionMaxAgeMs(deps));
        await touchLogin(em, user.id);
        deleteExpiredSessions(system).catch((err) => request.log.warn({ err }, 'could not remove expired sessions'));
        setSessionCookie(request, reply, token, session.expiresAt);
        return sessionView(user.tenant, user.id, session.csrfToken);
      },
    );

    app.post(
      '/v1/auth/logout',
      { schema: { tags, summary: 'Sign out: the session is deleted', response: { 204: z.null(), ...errorResponses } } },
      async (request, reply) => {
        if (request.principal.sessionId) await deleteSession(systemEm(deps.orm), request.principal.sessionId);
        clearSessionCookie(request, reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/v1/auth/me',
      { schema: { tags, summary: 'Who is signed in (401 when nobody is)', response: { 200: sessionBody, ...errorResponses } } },
      async (request) => {
        const { userId, csrfToken, tenantId } = request.principal;
        if (!userId || !csrfToken) throw new AppError('unauthorized', 'not signed in (API keys have no console session)', { field: 'authorization' });
        return sessionView(tenantId, userId, csrfToken);
      },
    );
  };
