/** The `csat` node's activities (activities/csat/): signatures shared with the workflow. */
import type { CsatScale } from '../../core/csat';
import type { Channel } from '../../core/messages';

interface CsatRef {
  tenantId: string;
  conversationId: string;
  workflowId: string;
  channel: Channel;
  nodeId: string;
}

export interface CsatActivities {
  /**
   * Stores a rating once per `key` (a retry finds the stored row). `final`: no follow-up question
   * comes, so `csat.submitted` is queued now; otherwise `completeCsat` queues it with the comment.
   */
  recordCsat(input: CsatRef & { key: string; scale: CsatScale; score: number; answer: string; final: boolean }): Promise<{ responseId: string | null }>;
  /** The follow-up's answer (null: none came in time) on the latest rating at the node, then `csat.submitted`. */
  completeCsat(input: CsatRef & { comment: string | null }): Promise<void>;
}
