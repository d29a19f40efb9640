/** A campaign's status as a coloured badge, the same on every campaign page. */
import { Badge } from '../../ui';
import { STATUS_LABELS, STATUS_TONES, type CampaignStatus } from './types';

export function StatusBadge({ status }: { status: CampaignStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Badge>;
}
