/**
 * Console users. Passwords are hashed with argon2id; emails are compared lower-cased. `em` must be
 * tenant-scoped except for `userByEmailAnyTenant`.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../core/errors';
import { Session, User, type UserRole } from '../entities';

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const hashPassword = (password: string) => hash(password);

/** Verified against a fixed hash when the user is unknown, so both answers take as long. */
let decoyHash: Promise<string> | null = null;
export async function checkPassword(passwordHash: string | null, password: string): Promise<boolean> {
  decoyHash ??= hash('decoy password that matches nothing');
  try {
    return await verify(passwordHash ?? (await decoyHash), password);
  } catch {
    return false;
  }
}

export interface NewUser {
  email: string;
  name: string;
  role: UserRole;
  phone?: string;
  password: string;
}

export async function createUser(em: EntityManager, tenantId: string, input: NewUser): Promise<User> {
  const user = em.create(User, {
    tenant: tenantId,
    email: normalizeEmail(input.email),
    name: input.name,
    role: input.role,
    phone: input.phone ?? null,
    passwordHash: await hashPassword(input.password),
  });
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw new AppError('conflict', 'a user with this email already exists', { field: 'email' });
    throw err;
  }
  return user;
}

export const listUsers = (em: EntityManager) => em.find(User, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
export const getUser = (em: EntityManager, id: string) => em.findOne(User, { id });

export async function updateUser(
  em: EntityManager,
  id: string,
  patch: { name?: string; role?: UserRole; password?: string; disabled?: boolean; phone?: string | null },
): Promise<User | null> {
  const user = await em.findOne(User, { id });
  if (!user) return null;
  if (patch.name !== undefined) user.name = patch.name;
  if (patch.role !== undefined) user.role = patch.role;
  if (patch.disabled !== undefined) user.disabled = patch.disabled;
  if (patch.phone !== undefined) user.phone = patch.phone;
  if (patch.password !== undefined) user.passwordHash = await hashPassword(patch.password);
  await em.flush();
  // A new password or a disabled account signs the user out everywhere.
  if (patch.password !== undefined || patch.disabled) await em.nativeDelete(Session, { user: id });
  return user;
}

export async function deleteUser(em: EntityManager, id: string): Promise<boolean> {
  await em.nativeDelete(Session, { user: id });
  return (await em.nativeDelete(User, { id })) > 0;
}

/** Sign-in lookup within one tenant (the demo tenant when no tenant is named), with the hash. */
export function userForLogin(em: EntityManager, email: string): Promise<User | null> {
  return em.findOne(User, { email: normalizeEmail(email) }, { populate: ['passwordHash'] });
}

export async function touchLogin(em: EntityManager, id: string): Promise<void> {
  await em.nativeUpdate(User, { id }, { lastLoginAt: new Date() });
}
