import type { NodeHandler } from '../types';

export const start: NodeHandler<'start'> = {
  run: async () => ({ kind: 'follow', handle: 'next' }),
};
