/** What each wizard step gets from the wizard: the draft being edited and the ways to store it. */
import type { Campaign, CampaignPatch } from '../types';

export interface StepProps {
  /** Null until the draft is first stored (the brief step creates it). */
  campaign: Campaign | null;
  draft: CampaignPatch;
  setDraft: (patch: Partial<CampaignPatch>) => void;
  /** Stores the draft (with `extra` on top): creates it the first time. */
  save: (extra?: Partial<CampaignPatch>) => Promise<Campaign>;
  /** Runs a task under a key, its failure shown under the step. */
  run: (key: string, task: () => Promise<unknown>) => Promise<void>;
  /** The key of the task running, if any. */
  busy: string | null;
  /** Takes a campaign the API answered (after generating) as the stored and edited one. */
  setCampaign: (c: Campaign) => void;
}
