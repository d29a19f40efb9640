/** Property builders shared by every entity: uuid keys and timestamps set in code and by the database. */
import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

export const uuidPk = () => p.uuid().primary().onCreate(() => randomUUID()).defaultRaw('gen_random_uuid()');
export const createdAt = () => p.datetime().onCreate(() => new Date()).defaultRaw('now()');
export const updatedAt = () =>
  p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()).defaultRaw('now()');
export const jsonObject = <T extends object = Record<string, unknown>>() => p.json<T>().default('{}');
