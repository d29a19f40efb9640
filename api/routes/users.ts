/** Console users of the tenant (admin only, see api/plugins/roles.ts). */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUserBody, updateUserBody, userList, userSchema } from '../../core/api/admin';
import { passwordProblem } from '../../core/passwords';
import { errorResponses, uuidParam } from '../../core/api/common';
import { AppError } from '../../core/errors';
import { iso } from '../services/serialize';
import type { User } from '../../db/entities';
import { createUser, deleteUser, getUser, listUsers, updateUser } from '../../db/repos';
import { recordChange } from '../plugins/audit';

export const userDto = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  disabled: u.disabled,
  phone: u.phone ?? null,
  createdAt: iso(u.createdAt)!,
  lastLoginAt: iso(u.lastLoginAt),
});

const notFound = () => new AppError('not_found', 'user not found', { field: 'id' });

export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['users'];

  app.get('/v1/users', { schema: { tags, summary: 'List the tenant’s console users', response: { 200: userList, ...errorResponses } } }, async (request) => ({
    items: (await listUsers(request.em)).map(userDto),
  }));

  app.post(
    '/v1/users',
    { schema: { tags, summary: 'Create a console user (password ≥ 10 characters, not a common one, not containing the email name)', body: createUserBody, response: { 201: userSchema, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(userDto(await createUser(request.em, request.tenantId, request.body))),
  );

  app.patch(
    '/v1/users/:id',
    { schema: { tags, summary: 'Rename, change role, password or phone, disable or enable a user', params: uuidParam, body: updateUserBody, response: { 200: userSchema, ...errorResponses } } },
    async (request) => {
      const { id } = request.params;
      if (id === request.principal.userId) {
        // Locking yourself out of administration is never what was meant.
        if (request.body.role !== undefined && request.body.role !== 'admin') throw new AppError('conflict', 'you cannot change your own role', { field: 'role' });
        if (request.body.disabled) throw new AppError('conflict', 'you cannot disable yourself', { field: 'disabled' });
      }
      if (request.body.password !== undefined) {
        const existing = await getUser(request.em, id);
        const problem = existing && passwordProblem(request.body.password, existing.email);
        if (problem) throw new AppError('validation_failed', problem, { field: 'password' });
      }
      const existing = await getUser(request.em, id);
      const before = existing && userDto(existing);
      const user = await updateUser(request.em, id, request.body);
      if (!user) throw notFound();
      const after = userDto(user);
      // A new password is a change worth recording; its value never is.
      recordChange(request, { before, after: { ...after, ...(request.body.password !== undefined && { password: 'changed' }) } });
      return after;
    },
  );

  app.delete(
    '/v1/users/:id',
    { schema: { tags, summary: 'Delete a user (their sessions end)', params: uuidParam, response: { 204: z.null(), ...errorResponses } } },
    async (request, reply) => {
      if (request.params.id === request.principal.userId) throw new AppError('conflict', 'you cannot delete yourself', { field: 'id' });
      if (!(await getUser(request.em, request.params.id)) || !(await deleteUser(request.em, request.params.id))) throw notFound();
      return reply.status(204).send(null);
    },
  );
};
