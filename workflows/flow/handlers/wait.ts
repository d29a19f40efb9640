import type { NodeHandler } from '../types';

export const wait: NodeHandler<'wait'> = {
  run: async (node, rt) => {
    await rt.sleep(node.data.seconds * 1000);
    return { kind: 'follow', handle: 'next' };
  },
};
