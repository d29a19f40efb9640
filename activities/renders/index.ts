/** The `videoRender` workflow's activities over renders/ (providers), video/ (checks, outputs) and media/ (the store). */
import type { ActivityDeps } from '../deps';
import type { SwitchboardActivities } from '../types';
import { renderContext } from './context';
import { finishActivities } from './finish';
import { flowVideoActivities } from './flow';
import { providerActivities } from './provider';
import type { FlowVideoActivities, VideoRenderActivities } from './types';

export function renderActivities(deps: ActivityDeps): Pick<SwitchboardActivities, keyof VideoRenderActivities | keyof FlowVideoActivities> {
  const ctx = renderContext(deps);
  return { ...providerActivities(ctx), ...finishActivities(ctx), ...flowVideoActivities(ctx) };
}
